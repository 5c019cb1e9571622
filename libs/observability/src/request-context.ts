import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** Who is acting, as carried from the gateway to every service a request touches. */
export interface Actor {
  username: string;
  role: string;
}

export interface RequestContext {
  correlationId: string;
  actor?: Actor;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Accepts ids callers send (x-correlation-id) only when they are short and harmless to log. */
const CORRELATION_ID_RULE = /^[A-Za-z0-9._:-]{8,100}$/;

export function newCorrelationId(): string {
  return randomUUID();
}

export function acceptCorrelationId(candidate: unknown): string {
  return typeof candidate === 'string' && CORRELATION_ID_RULE.test(candidate)
    ? candidate
    : newCorrelationId();
}

export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}
