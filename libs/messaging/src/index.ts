export {
  RPC_ERROR_CODES,
  HTTP_STATUS_BY_RPC_CODE,
  rpcError,
  isRpcErrorPayload,
  RpcCallError,
} from './rpc-error';
export type { RpcErrorCode, RpcErrorPayload } from './rpc-error';
export { isEnvelope } from './envelope';
export type { MessageEnvelope, MessageMeta } from './envelope';
export { redisTransport, redisConnection } from './redis-transport';
export { DirectReplyRedisClient, DirectReplyRedisServer, REPLY_CHANNEL_PREFIX } from './direct-reply-redis';
export { ServiceClient } from './service-client';
export type { MessagingOptions, CallOptions } from './service-client';
export { MessagingModule } from './messaging.module';
export { describeValidationErrors, messageValidationPipe, VALIDATION_OPTIONS } from './validation';
export { MessageData, MessageActor, MessageContextInterceptor, RpcErrorFilter } from './message-handling';
export { RedisLeases } from './redis-lease';
export type { LeaseOptions } from './redis-lease';
