import { DynamicModule, RequestMethod } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { acceptCorrelationId, currentContext } from './request-context';

/** Anything that may carry a secret is replaced before a line is written. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passwordHash',
  '*.accessToken',
  '*.refreshToken',
  '*.token',
  '*.secret',
];

export interface LoggingOptions {
  service: string;
  level: string;
  /** Paths whose requests are not logged (probes). */
  quietPaths?: string[];
}

/**
 * Structured JSON logs (pino) for an app: one line per event, with the service name and the
 * correlation id of the request or message being handled.
 */
export function loggingModule({ service, level, quietPaths = [] }: LoggingOptions): DynamicModule {
  return LoggerModule.forRoot({
    // Express 5 route syntax: every path (the default '*' is the legacy form and logs a warning).
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    pinoHttp: {
      level,
      base: { service, pid: process.pid },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      mixin: () => {
        const context = currentContext();
        return context ? { correlationId: context.correlationId, actor: context.actor?.username } : {};
      },
      genReqId: (req: IncomingMessage) => acceptCorrelationId(req.headers['x-correlation-id']),
      customAttributeKeys: { reqId: 'correlationId' },
      autoLogging: { ignore: (req: IncomingMessage) => quietPaths.some((p) => req.url?.startsWith(p)) },
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  });
}
