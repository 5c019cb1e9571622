import { acceptCorrelationId, runWithContext } from '@testpulse/observability';
import type { NextFunction, Request, Response } from 'express';

export const CORRELATION_HEADER = 'x-correlation-id';

/**
 * First middleware of every request: adopts the caller's x-correlation-id (or makes one), echoes it
 * on the response and runs the rest of the request inside that context, so logs and messages to
 * services carry it.
 */
export function requestContextMiddleware(req: Request, res: Response, next: NextFunction): void {
  const correlationId = acceptCorrelationId(req.headers[CORRELATION_HEADER]);
  (req as Request & { id: string }).id = correlationId;
  res.setHeader(CORRELATION_HEADER, correlationId);
  runWithContext({ correlationId }, next);
}
