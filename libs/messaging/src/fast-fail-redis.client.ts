import { ClientRedis } from '@nestjs/microservices';
import type { RpcErrorPayload } from './rpc-error';

type PublishingClient = ReturnType<ClientRedis['createClient']>;

/**
 * The Redis transport client, with one addition: Redis tells the publisher how many subscribers
 * received a message. A request that reached nobody (the owning service is down) fails at once
 * with UNAVAILABLE instead of waiting for the timeout.
 */
export class FastFailRedisClient extends ClientRedis {
  override createClient(): PublishingClient {
    const client = super.createClient();
    const publish = client.publish.bind(client) as (channel: string, message: string) => Promise<number>;
    const wrapped = (
      channel: string,
      message: string,
      callback?: (err: Error | null, n?: number) => void,
    ) => {
      const result = publish(channel, message);
      result.then(
        (receivers) => {
          if (receivers === 0) this.failUnrouted(channel, message);
          callback?.(null, receivers);
        },
        (error: Error) => callback?.(error),
      );
      return result;
    };
    (client as unknown as { publish: typeof wrapped }).publish = wrapped;
    return client;
  }

  private failUnrouted(channel: string, message: string): void {
    let id: unknown;
    try {
      id = (JSON.parse(message) as { id?: unknown }).id;
    } catch {
      return;
    }
    const callback = typeof id === 'string' ? this.routingMap.get(id) : undefined;
    if (!callback) return; // events carry no id: fire-and-forget
    const err: RpcErrorPayload = { code: 'UNAVAILABLE', message: `no service is listening for ${channel}` };
    callback({ err, isDisposed: true });
  }
}
