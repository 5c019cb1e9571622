import { HttpException, HttpStatus } from '@nestjs/common';
import { HTTP_STATUS_BY_RPC_CODE, RpcCallError } from '@testpulse/messaging';

export interface HttpErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: unknown;
  correlationId?: string;
}

const reason = (status: number): string =>
  (HttpStatus[status] ?? 'ERROR')
    .toLowerCase()
    .replace(/_/g, ' ')
    .replace(/^\w/, (c) => c.toUpperCase());

/**
 * The one mapping from anything thrown while serving a request to the HTTP answer: RPC codes to
 * statuses, Nest's HTTP exceptions as they are, and everything else a bare 500 with no internals.
 */
export function toHttpError(exception: unknown): HttpErrorBody {
  if (exception instanceof RpcCallError) {
    const status = HTTP_STATUS_BY_RPC_CODE[exception.code];
    const message = status === 500 ? 'internal error' : exception.message;
    const details = status === 500 ? undefined : exception.details;
    return {
      statusCode: status,
      error: reason(status),
      message,
      ...(details === undefined ? {} : { details }),
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const raw =
      typeof response === 'object' && response !== null
        ? (response as { message?: unknown }).message
        : response;
    const problems = Array.isArray(raw) ? raw.map(String) : undefined;
    const message = problems ? problems.join('; ') : typeof raw === 'string' ? raw : exception.message;
    return {
      statusCode: status,
      error: reason(status),
      message,
      ...(problems ? { details: { problems } } : {}),
    };
  }
  return { statusCode: 500, error: reason(500), message: 'internal error' };
}
