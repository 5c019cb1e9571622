import { Injectable, NestMiddleware } from '@nestjs/common';
import { AuthUser } from '@testpulse/auth';
import { AUDIT_EVENTS, AuditRecordDto } from '@testpulse/contracts';
import { ServiceClient } from '@testpulse/messaging';
import { currentContext } from '@testpulse/observability';
import type { NextFunction, Request, Response } from 'express';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Set in `res.locals` by a handler whose POST only reads (see CachedReads). */
export const AUDIT_AS_READ = 'auditAsRead';

/**
 * Records every mutating request, whatever its outcome (401 and 403 included): user, role, method,
 * route, status, duration and correlation id, sent to user-preferences as a fire-and-forget event.
 * POSTs that only read (analyses) are recorded only when refused or failed.
 */
@Injectable()
export class AuditMiddleware implements NestMiddleware {
  constructor(private readonly services: ServiceClient) {}

  use(req: Request, res: Response, next: NextFunction): void {
    if (!MUTATING.has(req.method)) return next();
    const started = process.hrtime.bigint();
    const context = currentContext();
    res.on('finish', () => {
      // A read sent as POST (an analysis with a body) that succeeded changed nothing: not audited.
      if (res.locals[AUDIT_AS_READ] === true && res.statusCode < 400) return;
      const user = (req as Request & { user?: AuthUser }).user;
      const record: AuditRecordDto = {
        username: user?.username ?? null,
        role: user?.role ?? null,
        method: req.method,
        route: req.route?.path ?? req.baseUrl + req.path,
        path: req.originalUrl.slice(0, 2048),
        status: res.statusCode,
        durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e6),
        correlationId: context?.correlationId ?? (req as Request & { id?: string }).id ?? 'unknown',
        at: new Date().toISOString(),
      };
      void this.services.emit(AUDIT_EVENTS.recorded, record);
    });
    next();
  }
}
