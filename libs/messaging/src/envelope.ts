import type { Actor } from '@testpulse/observability';

/**
 * Every message on the transport is wrapped: the payload travels in `data`, the correlation id
 * and the acting user in `meta`, so logs on every service carry the id of the request.
 */
export interface MessageEnvelope<T = unknown> {
  data: T;
  meta: MessageMeta;
}

export interface MessageMeta {
  correlationId: string;
  actor?: Actor;
}

export function isEnvelope(value: unknown): value is MessageEnvelope {
  return (
    typeof value === 'object' &&
    value !== null &&
    'data' in value &&
    typeof (value as MessageEnvelope).meta?.correlationId === 'string'
  );
}
