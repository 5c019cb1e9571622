import { EventEmitter } from 'node:events';
import type Redis from 'ioredis';
import { CacheBus } from './cache-bus';
import { CACHE_EVENTS_CHANNEL } from './cache-keys';
import { TwoLayerCache } from './two-layer-cache';

/**
 * A subscriber connection that delivers what is published on the bus while `hearing`, and a commands
 * connection whose publishes go to it.
 */
function redisPair() {
  const subscriber = Object.assign(new EventEmitter(), {
    hearing: true,
    subscribe: jest.fn(async () => 1),
    disconnect: jest.fn(),
  });
  const publish = jest.fn(async (channel: string, message: string) => {
    if (subscriber.hearing) subscriber.emit('message', channel, message);
    return 1;
  });
  const chain = {
    zadd: () => chain,
    zremrangebyscore: () => chain,
    exec: async () => [],
  };
  const commands = Object.assign(new EventEmitter(), {
    status: 'ready',
    multi: () => chain,
    publish,
    zrem: async () => 1,
  });
  return { subscriber, commands, publish };
}

describe('CacheBus', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const start = async () => {
    const { subscriber, commands, publish } = redisPair();
    const bus = new CacheBus(
      commands as unknown as Redis,
      subscriber as unknown as Redis,
      {} as TwoLayerCache,
      'host:1:abc',
      () => ({}) as never,
    );
    await bus.start();
    return { bus, subscriber, publish };
  };
  const beats = async (n: number) => {
    for (let i = 0; i < n; i++) await jest.advanceTimersByTimeAsync(5000);
  };

  it('pings itself every heartbeat and leaves a subscription it hears alone', async () => {
    const { bus, subscriber, publish } = await start();
    await beats(3);
    const pings = publish.mock.calls.filter(([, message]) => JSON.parse(message).type === 'ping');
    expect(pings).toHaveLength(3);
    expect(pings.every(([channel]) => channel === CACHE_EVENTS_CHANNEL)).toBe(true);
    expect(subscriber.subscribe).toHaveBeenCalledTimes(1);
    expect(subscriber.disconnect).not.toHaveBeenCalled();
    await bus.stop();
  });

  it('subscribes again when it did not hear its own ping, and renews the connection the second time', async () => {
    const { bus, subscriber } = await start();
    await beats(1);
    subscriber.hearing = false; // the subscription is gone, the connection is not
    await beats(1);
    expect(subscriber.subscribe).toHaveBeenCalledTimes(1);
    await beats(1);
    expect(subscriber.subscribe).toHaveBeenCalledTimes(2);
    expect(subscriber.subscribe).toHaveBeenLastCalledWith(CACHE_EVENTS_CHANNEL);
    expect(subscriber.disconnect).not.toHaveBeenCalled();
    await beats(1);
    expect(subscriber.disconnect).toHaveBeenCalledWith(true);
    // Hearing again: nothing more is done.
    subscriber.hearing = true;
    await beats(3);
    expect(subscriber.subscribe).toHaveBeenCalledTimes(4);
    expect(subscriber.disconnect).toHaveBeenCalledTimes(1);
    await bus.stop();
  });

  it('tells nothing from a ping that could not be published', async () => {
    const { bus, subscriber, publish } = await start();
    subscriber.hearing = false;
    publish.mockRejectedValue(new Error('Redis is away'));
    await beats(4);
    expect(subscriber.subscribe).toHaveBeenCalledTimes(1);
    expect(subscriber.disconnect).not.toHaveBeenCalled();
    await bus.stop();
  });
});
