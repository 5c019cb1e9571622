import { randomUUID } from 'node:crypto';
import { ClientRedis, ReadPacket, ServerRedis, WritePacket } from '@nestjs/microservices';
import type { RpcErrorPayload } from './rpc-error';

/** Channels that answers go to: one per client instance. */
export const REPLY_CHANNEL_PREFIX = 'tp:rpc:reply:';

type RedisConnection = ServerRedis['handleMessage'] extends (
  channel: string,
  buffer: string,
  pub: infer Pub,
  pattern: string,
) => unknown
  ? Pub
  : never;

/** The reply channel a request names, if it names a valid one. */
export function replyChannelOf(message: unknown): string | undefined {
  const replyTo = (message as { replyTo?: unknown } | null)?.replyTo;
  return typeof replyTo === 'string' && replyTo.startsWith(REPLY_CHANNEL_PREFIX) ? replyTo : undefined;
}

/**
 * The Redis transport's client, with its own reply channel. Nest's client sends a request to the
 * pattern's channel and has the answer published on `<pattern>.reply`: every process that ever sent
 * that pattern receives and parses every answer to it, and each request whose channel had no other
 * call pending first waits for a SUBSCRIBE round trip (and is followed by an UNSUBSCRIBE). This one
 * subscribes once, to `tp:rpc:reply:<uuid>`, names it in each request (`replyTo`), and
 * `DirectReplyRedisServer` answers there: a request is published at once, and each process parses
 * only its own answers.
 *
 * Redis also tells the publisher how many subscribers received a message: a request that reached
 * nobody (the owning service is down) fails at once with UNAVAILABLE instead of waiting for its
 * deadline, and so does one that could not be published.
 */
export class DirectReplyRedisClient extends ClientRedis {
  readonly replyChannel = `${REPLY_CHANNEL_PREFIX}${randomUUID()}`;
  private subscribed?: Promise<unknown>;

  override async connect(): Promise<unknown> {
    const connected = await super.connect();
    // ioredis subscribes again by itself after a reconnection.
    this.subscribed ??= this.subClient.subscribe(this.replyChannel).catch((error: unknown) => {
      this.subscribed = undefined;
      throw error;
    });
    await this.subscribed;
    return connected;
  }

  override async close(): Promise<void> {
    this.subscribed = undefined;
    await super.close();
  }

  protected override publish(partialPacket: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    try {
      const packet = this.assignPacketId(partialPacket);
      const channel = this.getRequestPattern(this.normalizePattern(partialPacket.pattern));
      const request = JSON.stringify({ ...this.serializer.serialize(packet), replyTo: this.replyChannel });
      this.routingMap.set(packet.id, callback);
      this.pubClient.publish(channel, request).then(
        (receivers: number) => {
          if (receivers === 0) this.fail(packet.id, `no service is listening for ${channel}`);
        },
        (error: Error) => this.fail(packet.id, `${channel} could not be sent: ${error.message}`),
      );
      return () => this.routingMap.delete(packet.id);
    } catch (err) {
      callback({ err });
      return () => undefined;
    }
  }

  private fail(id: string, message: string): void {
    const callback = this.routingMap.get(id);
    if (!callback) return;
    const err: RpcErrorPayload = { code: 'UNAVAILABLE', message };
    callback({ err, isDisposed: true });
  }
}

/**
 * The Redis transport's server: answers a request on the reply channel it names (see
 * `DirectReplyRedisClient`), or on `<pattern>.reply` when it names none (Nest's own client).
 */
export class DirectReplyRedisServer extends ServerRedis {
  override parseMessage(content: unknown): Record<string, unknown> {
    return typeof content === 'string' || Buffer.isBuffer(content)
      ? super.parseMessage(content)
      : (content as Record<string, unknown>);
  }

  override handleMessage(channel: string, buffer: string, pub: RedisConnection, pattern: string) {
    // Parsed once here: the message is handed on as an object, which parseMessage passes through.
    const message = this.parseMessage(buffer);
    const replyTo = replyChannelOf(message);
    const publisher = replyTo
      ? ({ publish: (_channel: string, body: string) => pub.publish(replyTo, body) } as RedisConnection)
      : pub;
    return super.handleMessage(channel, message as unknown as string, publisher, pattern);
  }
}
