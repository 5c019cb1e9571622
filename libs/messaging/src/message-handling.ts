import {
  ArgumentsHost,
  CallHandler,
  Catch,
  ExceptionFilter,
  ExecutionContext,
  HttpException,
  Injectable,
  Logger,
  NestInterceptor,
  createParamDecorator,
} from '@nestjs/common';
import { Payload, RpcException } from '@nestjs/microservices';
import { Actor, newCorrelationId, runWithContext } from '@testpulse/observability';
import { Observable, throwError } from 'rxjs';
import { isEnvelope } from './envelope';
import {
  HTTP_STATUS_BY_RPC_CODE,
  RpcCallError,
  RpcErrorCode,
  RpcErrorPayload,
  isRpcErrorPayload,
} from './rpc-error';

/** The payload of an enveloped message, validated by the global pipe against the parameter's class. */
export const MessageData = (): ParameterDecorator => Payload('data');

/** The user on whose behalf the message was sent (set by the gateway), if any. */
export const MessageActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor | undefined => {
  const payload: unknown = ctx.switchToRpc().getData();
  return isEnvelope(payload) ? payload.meta.actor : undefined;
});

/** Runs each handler inside the correlation context carried by its message. */
@Injectable()
export class MessageContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const payload: unknown = context.switchToRpc().getData();
    const meta = isEnvelope(payload) ? payload.meta : { correlationId: newCorrelationId() };
    return new Observable((subscriber) =>
      runWithContext({ correlationId: meta.correlationId, actor: meta.actor }, () =>
        next.handle().subscribe(subscriber),
      ),
    );
  }
}

const CODE_BY_HTTP_STATUS: Record<number, RpcErrorCode> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** Failures of a call into another service that a handler passes on as they are. */
const PASSED_ON: ReadonlySet<RpcErrorCode> = new Set(['UNAVAILABLE', 'DEADLINE_EXCEEDED']);

/**
 * Turns whatever a handler throws into the RPC error shape. Known errors keep their code and
 * message (a call into another service that found it down or too slow keeps its code); anything else is logged here and leaves the service as a bare INTERNAL error.
 */
@Catch()
export class RpcErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('RpcErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    if (host.getType() === 'http') return this.replyHttp(exception, host);
    const payload: unknown = host.switchToRpc().getData();
    const correlationId = isEnvelope(payload) ? payload.meta.correlationId : undefined;
    return throwError(() => ({ ...this.toPayload(exception), correlationId }));
  }

  /** A service's own HTTP port serves only probes: keep HTTP errors as they are, hide the rest. */
  private replyHttp(exception: unknown, host: ArgumentsHost): void {
    const response = host
      .switchToHttp()
      .getResponse<{ status(code: number): { json(body: unknown): void } }>();
    if (exception instanceof HttpException) {
      response.status(exception.getStatus()).json(exception.getResponse());
      return;
    }
    const payload = this.toPayload(exception);
    response.status(HTTP_STATUS_BY_RPC_CODE[payload.code]).json(payload);
  }

  private toPayload(exception: unknown): RpcErrorPayload {
    if (exception instanceof RpcException) {
      const error = exception.getError();
      if (isRpcErrorPayload(error)) return error;
    }
    if (exception instanceof HttpException) {
      const code = CODE_BY_HTTP_STATUS[exception.getStatus()];
      if (code) return { code, message: exception.message };
    }
    if (exception instanceof RpcCallError && PASSED_ON.has(exception.code)) {
      // A service this one called is down or too slow: the caller learns that (503/504), not "internal".
      this.logger.warn({ err: exception }, 'a call into another service failed');
      return { code: exception.code, message: exception.message };
    }
    this.logger.error({ err: exception }, 'unhandled error in message handler');
    return { code: 'INTERNAL', message: 'internal error' };
  }
}
