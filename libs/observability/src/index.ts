export { runWithContext, currentContext, newCorrelationId, acceptCorrelationId } from './request-context';
export type { Actor, RequestContext } from './request-context';
export { loggingModule, REDACTED_PATHS } from './logging';
export type { LoggingOptions } from './logging';
export { RedisHealthIndicator } from './redis-health.indicator';
