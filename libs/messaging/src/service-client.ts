import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { currentContext, newCorrelationId } from '@testpulse/observability';
import { TimeoutError, firstValueFrom, timeout } from 'rxjs';
import { MessageEnvelope } from './envelope';
import { RpcCallError, isRpcErrorPayload } from './rpc-error';

export const TRANSPORT_CLIENT = Symbol('TRANSPORT_CLIENT');
export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

export interface MessagingOptions {
  redisUrl: string;
  /** Default deadline of a request/response call. */
  timeoutMs: number;
}

export interface CallOptions {
  timeoutMs?: number;
}

/**
 * The one way apps talk to each other: request/response calls with a deadline and fire-and-forget
 * events, both wrapped in an envelope that carries the current correlation id and actor.
 * Every failure surfaces as an RpcCallError with a code the gateway can map to HTTP.
 */
@Injectable()
export class ServiceClient implements OnApplicationShutdown {
  private readonly logger = new Logger(ServiceClient.name);

  constructor(
    @Inject(TRANSPORT_CLIENT) private readonly client: ClientProxy,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  async send<TResult, TData = unknown>(
    pattern: string,
    data: TData,
    options: CallOptions = {},
  ): Promise<TResult> {
    const deadline = options.timeoutMs ?? this.options.timeoutMs;
    try {
      return await firstValueFrom(
        this.client.send<TResult>(pattern, this.wrap(data)).pipe(timeout(deadline)),
      );
    } catch (error) {
      throw this.toCallError(pattern, error, deadline);
    }
  }

  /** Fire-and-forget; a transport failure is logged, never thrown at the caller. */
  async emit<TData>(event: string, data: TData): Promise<void> {
    try {
      await firstValueFrom(this.client.emit(event, this.wrap(data)), { defaultValue: undefined });
    } catch (error) {
      this.logger.warn({ event, err: (error as Error).message }, 'event could not be published');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }

  private wrap<TData>(data: TData): MessageEnvelope<TData> {
    const context = currentContext();
    return {
      data,
      meta: { correlationId: context?.correlationId ?? newCorrelationId(), actor: context?.actor },
    };
  }

  private toCallError(pattern: string, error: unknown, deadline: number): RpcCallError {
    if (error instanceof RpcCallError) return error;
    if (error instanceof TimeoutError) {
      return new RpcCallError(
        'DEADLINE_EXCEEDED',
        `${pattern} did not answer within ${deadline} ms`,
        pattern,
      );
    }
    if (isRpcErrorPayload(error)) return new RpcCallError(error.code, error.message, pattern, error.details);
    const message = error instanceof Error ? error.message : String((error as { message?: string })?.message);
    if (error instanceof Error && /ECONNREFUSED|Connection is closed|ETIMEDOUT|EHOSTUNREACH/.test(message)) {
      return new RpcCallError('UNAVAILABLE', 'the message transport is unreachable', pattern);
    }
    this.logger.error({ pattern, err: message }, 'unexpected transport error');
    return new RpcCallError('INTERNAL', 'internal error', pattern);
  }
}
