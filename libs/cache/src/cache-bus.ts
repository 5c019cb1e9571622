import { Logger } from '@nestjs/common';
import type { CacheInstanceStatsView } from '@testpulse/contracts';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { CACHE_EVENTS_CHANNEL, CACHE_INSTANCES_KEY, CACHE_PREFIX } from './cache-keys';
import { CacheBusMessage, TwoLayerCache } from './two-layer-cache';

const HEARTBEAT_MS = 5000;
/** An instance without a heartbeat for this long is no longer expected to answer. */
export const INSTANCE_LIVENESS_MS = 15_000;
/** Instances silent for this long are removed from the registry. */
const INSTANCE_FORGET_MS = 120_000;
/** After the expected answers, how long a collector still listens for others. */
const STRAGGLER_MS = 100;
/** A heartbeat or an answer that failed is tried once more after this long. */
const RETRY_MS = 500;

/**
 * The cache's pub/sub: hears invalidations (and frees the entries they reach) and stats requests
 * (and answers them with this process's counters); registers this process with a heartbeat so
 * that a collector knows how many answers to wait for.
 */
export class CacheBus {
  private readonly logger = new Logger(CacheBus.name);
  private heartbeat?: NodeJS.Timeout;
  /**
   * Whether this process heard the ping it published with its last heartbeat. A subscription lost
   * without the connection dropping (ioredis subscribes again only after a reconnection) would
   * leave it deaf to invalidations and stats requests while its heartbeat says it is there.
   */
  private pingHeard = true;
  private missedPings = 0;
  private readonly collectors = new Map<string, (stats: CacheInstanceStatsView) => void>();

  constructor(
    private readonly commands: Redis,
    private readonly subscriber: Redis,
    private readonly cache: TwoLayerCache,
    private readonly instance: string,
    private readonly snapshot: () => CacheInstanceStatsView,
  ) {}

  async start(): Promise<void> {
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('message', (channel: string, message: string) => this.onMessage(channel, message));
    // Subscribing waits for the connection; the process does not wait for it (it may start without Redis).
    void this.subscriber.subscribe(CACHE_EVENTS_CHANNEL).catch((error: Error) => {
      this.logger.warn({ err: error.message }, 'cache bus: subscription failed; retried on reconnect');
    });
    // Commands fail fast (250 ms) on this connection; a beat missed on a loaded machine is tried
    // again half a second later rather than five seconds later.
    const beat = (retry = true) => {
      const now = Date.now();
      void this.commands
        .multi()
        .zadd(CACHE_INSTANCES_KEY, now, this.instance)
        .zremrangebyscore(CACHE_INSTANCES_KEY, 0, now - INSTANCE_FORGET_MS)
        .exec()
        .catch(() => {
          if (retry) setTimeout(() => beat(false), RETRY_MS).unref();
        });
    };
    // Registered as soon as the connection is up (also again after Redis restarted empty), then every 5 s.
    this.commands.on('ready', () => beat());
    if (this.commands.status === 'ready') beat();
    this.heartbeat = setInterval(() => {
      beat();
      this.checkHearing();
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.heartbeat);
    this.commands.removeAllListeners('ready');
    await this.commands.zrem(CACHE_INSTANCES_KEY, this.instance).catch(() => undefined);
  }

  /**
   * Every live instance's counters: asks all of them on the bus and waits until those with a recent
   * heartbeat have answered, or `timeoutMs`.
   */
  async collect(timeoutMs = 1500): Promise<{ instances: CacheInstanceStatsView[]; expected: number }> {
    const expected = await this.commands.zcount(
      CACHE_INSTANCES_KEY,
      Date.now() - INSTANCE_LIVENESS_MS,
      '+inf',
    );
    const replyTo = `${CACHE_PREFIX}:reply:${randomUUID()}`;
    // This process answers for itself directly; the others over the bus.
    const answers = new Map<string, CacheInstanceStatsView>([[this.instance, this.snapshot()]]);
    await this.subscriber.subscribe(replyTo);
    try {
      await new Promise<void>((resolve) => {
        let timer = setTimeout(resolve, timeoutMs);
        let graced = false;
        // Once all expected have answered, a little longer for one whose heartbeat is not in yet.
        const check = () => {
          if (graced || answers.size < expected) return;
          graced = true;
          clearTimeout(timer);
          timer = setTimeout(resolve, STRAGGLER_MS);
        };
        this.collectors.set(replyTo, (stats) => {
          if (stats.instance === this.instance) return;
          answers.set(stats.instance, stats);
          check();
        });
        check();
        void this.commands.publish(CACHE_EVENTS_CHANNEL, JSON.stringify({ type: 'collect', replyTo }));
      });
    } finally {
      this.collectors.delete(replyTo);
      await this.subscriber.unsubscribe(replyTo).catch(() => undefined);
    }
    return { instances: [...answers.values()], expected };
  }

  /** Memory and evictions of the cache's Redis server. */
  async redisServer(): Promise<{ usedMemoryBytes: number; evictedKeys: number; maxmemoryPolicy: string }> {
    const [info, policy] = await Promise.all([
      this.commands.info('all'),
      this.commands.config('GET', 'maxmemory-policy').catch(() => [] as unknown[]),
    ]);
    const field = (name: string): string | undefined =>
      new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
    return {
      usedMemoryBytes: Number(field('used_memory') ?? 0),
      evictedKeys: Number(field('evicted_keys') ?? 0),
      maxmemoryPolicy: String((policy as unknown[])[1] ?? field('maxmemory_policy') ?? 'unknown'),
    };
  }

  /**
   * Publishes a ping to itself (every heartbeat); when the previous one was not heard although it
   * went out, the bus is subscribed again, and every second time the connection is renewed too.
   */
  private checkHearing(): void {
    if (this.pingHeard) this.missedPings = 0;
    else {
      this.missedPings += 1;
      this.logger.warn(
        { missed: this.missedPings },
        'cache bus: its own ping was not heard; listening again',
      );
      if (this.missedPings % 2 === 0) this.subscriber.disconnect(true);
      void this.subscriber.subscribe(CACHE_EVENTS_CHANNEL).catch(() => undefined);
    }
    this.pingHeard = false;
    void this.commands
      .publish(CACHE_EVENTS_CHANNEL, JSON.stringify({ type: 'ping', from: this.instance }))
      .catch(() => {
        // Not sent: nothing to tell from its absence.
        this.pingHeard = true;
      });
  }

  /** This process's counters to a collector; tried once more if the fast-fail publish fails. */
  private answer(replyTo: string, retry = true): void {
    void this.commands.publish(replyTo, JSON.stringify(this.snapshot())).catch(() => {
      if (retry) setTimeout(() => this.answer(replyTo, false), RETRY_MS).unref();
    });
  }

  private onMessage(channel: string, raw: string): void {
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      return;
    }
    const collector = this.collectors.get(channel);
    if (collector) return collector(message as CacheInstanceStatsView);
    if (channel !== CACHE_EVENTS_CHANNEL) return;
    const event = message as CacheBusMessage;
    if (event.type === 'ping') {
      if (event.from === this.instance) this.pingHeard = true;
    } else if (event.type === 'invalidated') this.cache.onInvalidated(event);
    else if (
      event.type === 'collect' &&
      typeof event.replyTo === 'string' &&
      event.replyTo.startsWith(CACHE_PREFIX)
    )
      this.answer(event.replyTo);
  }
}
