import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { currentContext } from '@testpulse/observability';
import type { Response } from 'express';
import { toHttpError } from './http-error';

/** Every error leaves the gateway as JSON with the request's correlation id, never a stack trace. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = toHttpError(exception);
    if (body.statusCode >= 500) this.logger.error({ err: exception }, 'request failed');
    response.status(body.statusCode).json({ ...body, correlationId: currentContext()?.correlationId });
  }
}
