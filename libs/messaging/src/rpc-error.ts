import { RpcException } from '@nestjs/microservices';

/** Error codes that cross the transport. The gateway maps each one to an HTTP status. */
export const RPC_ERROR_CODES = [
  'INVALID_ARGUMENT',
  'UNAUTHENTICATED',
  'PERMISSION_DENIED',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNAVAILABLE',
  'DEADLINE_EXCEEDED',
  'INTERNAL',
] as const;
export type RpcErrorCode = (typeof RPC_ERROR_CODES)[number];

export const HTTP_STATUS_BY_RPC_CODE: Record<RpcErrorCode, number> = {
  INVALID_ARGUMENT: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
  INTERNAL: 500,
};

/** The shape of every error a service sends back. */
export interface RpcErrorPayload {
  code: RpcErrorCode;
  message: string;
  details?: unknown;
  correlationId?: string;
}

export function rpcError(code: RpcErrorCode, message: string, details?: unknown): RpcException {
  return new RpcException({ code, message, ...(details === undefined ? {} : { details }) });
}

export function isRpcErrorPayload(value: unknown): value is RpcErrorPayload {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as RpcErrorPayload).message === 'string' &&
    (RPC_ERROR_CODES as readonly string[]).includes((value as RpcErrorPayload).code)
  );
}

/** Thrown by ServiceClient when a call fails: carries the remote (or transport) error. */
export class RpcCallError extends Error {
  constructor(
    readonly code: RpcErrorCode,
    message: string,
    readonly pattern: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'RpcCallError';
  }
}
