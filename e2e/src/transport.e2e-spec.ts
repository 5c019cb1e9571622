/**
 * The Redis transport's request/response path on a real Redis: each client instance gets its
 * answers on its own reply channel, subscribed once; Nest's own client (answers on
 * `<pattern>.reply`) still works against the same server; a request nobody listens to fails at once.
 */
import { Controller, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientRedis, MessagePattern, Payload } from '@nestjs/microservices';
import {
  DirectReplyRedisClient,
  REPLY_CHANNEL_PREFIX,
  redisConnection,
  redisTransport,
} from '@testpulse/messaging';
import Redis from 'ioredis';
import { firstValueFrom } from 'rxjs';

const prefix = `transport_${Date.now().toString(36)}`;
const ECHO = `${prefix}.echo`;
const redisUrl = (): string => {
  const url = process.env.REDIS_URL;
  if (!url) throw new Error('REDIS_URL is not set (the e2e global setup sets it)');
  return url;
};

@Controller()
class EchoController {
  @MessagePattern(ECHO)
  echo(@Payload() data: { n: number; from: string }) {
    return { n: data.n * 2, from: data.from };
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

const clientOptions = () => ({ ...redisConnection(redisUrl()), retryAttempts: 3, retryDelay: 100 });

/** Every message published on channels matching `patterns`, by channel, and every SUBSCRIBE seen. */
async function watch(patterns: string[]) {
  const listener = new Redis(redisUrl());
  const messages = new Map<string, string[]>();
  listener.on('pmessage', (_pattern: string, channel: string, message: string) => {
    messages.set(channel, [...(messages.get(channel) ?? []), message]);
  });
  await listener.psubscribe(...patterns);
  const monitorClient = new Redis(redisUrl());
  const monitor = await monitorClient.monitor();
  const subscribes: string[] = [];
  monitor.on('monitor', (_time: string, args: string[]) => {
    const command = args[0]?.toLowerCase();
    if (command === 'subscribe' || command === 'unsubscribe') subscribes.push(`${command} ${args[1]}`);
  });
  return {
    messages,
    subscribes,
    stop: () => {
      monitor.disconnect();
      monitorClient.disconnect();
      listener.disconnect();
    },
  };
}

describe('Redis transport: answers on the caller’s own reply channel', () => {
  let server: INestMicroservice;
  const clients: { close(): Promise<unknown> }[] = [];

  beforeAll(async () => {
    server = await NestFactory.createMicroservice(EchoModule, {
      ...redisTransport(redisUrl()),
      logger: false,
    });
    await server.listen();
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await server?.close();
  });

  const directClient = async () => {
    const client = new DirectReplyRedisClient(clientOptions());
    clients.push(client);
    await client.connect();
    return client;
  };

  it('answers each client on its own channel, with no subscription per request', async () => {
    const [a, b] = [await directClient(), await directClient()];
    expect(a.replyChannel.startsWith(REPLY_CHANNEL_PREFIX)).toBe(true);
    expect(a.replyChannel).not.toBe(b.replyChannel);
    const watcher = await watch([`${ECHO}.reply`, `${REPLY_CHANNEL_PREFIX}*`]);
    try {
      const calls = (client: DirectReplyRedisClient, from: string) =>
        Array.from({ length: 20 }, (_, n) => firstValueFrom(client.send(ECHO, { n, from })));
      const [fromA, fromB] = await Promise.all([Promise.all(calls(a, 'a')), Promise.all(calls(b, 'b'))]);
      expect(fromA).toEqual(Array.from({ length: 20 }, (_, n) => ({ n: n * 2, from: 'a' })));
      expect(fromB).toEqual(Array.from({ length: 20 }, (_, n) => ({ n: n * 2, from: 'b' })));
      // Sequential calls too: with Nest's client each one would SUBSCRIBE and UNSUBSCRIBE.
      for (let n = 0; n < 5; n++) await firstValueFrom(a.send(ECHO, { n, from: 'a' }));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(watcher.messages.get(a.replyChannel)).toHaveLength(25);
      expect(watcher.messages.get(b.replyChannel)).toHaveLength(20);
      expect(watcher.messages.get(`${ECHO}.reply`)).toBeUndefined();
      expect(watcher.subscribes).toEqual([]);
    } finally {
      watcher.stop();
    }
  });

  it('still answers Nest’s own client on <pattern>.reply', async () => {
    const legacy = new ClientRedis(clientOptions());
    clients.push(legacy);
    await legacy.connect();
    await expect(firstValueFrom(legacy.send(ECHO, { n: 21, from: 'legacy' }))).resolves.toEqual({
      n: 42,
      from: 'legacy',
    });
  });

  it('answers on <pattern>.reply when the named reply channel is not a reply channel', async () => {
    const watcher = await watch([`${ECHO}.reply`, `${prefix}.elsewhere`]);
    const publisher = new Redis(redisUrl());
    try {
      const id = `${prefix}-forged`;
      const request = { pattern: ECHO, data: { n: 1, from: 'raw' }, id, replyTo: `${prefix}.elsewhere` };
      await publisher.publish(ECHO, JSON.stringify(request));
      for (let i = 0; i < 50 && !watcher.messages.has(`${ECHO}.reply`); i++)
        await new Promise((resolve) => setTimeout(resolve, 20));
      const replies = (watcher.messages.get(`${ECHO}.reply`) ?? []).map((m) => JSON.parse(m));
      expect(replies).toContainEqual(expect.objectContaining({ id, response: { n: 2, from: 'raw' } }));
      expect(watcher.messages.get(`${prefix}.elsewhere`)).toBeUndefined();
    } finally {
      publisher.disconnect();
      watcher.stop();
    }
  });

  // No deadline on this call: without the fast failure it would never settle, and the test time out.
  it('fails a request nobody listens to at once, as UNAVAILABLE', async () => {
    const client = await directClient();
    await expect(firstValueFrom(client.send(`${prefix}.nobody`, { n: 1 }))).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: `no service is listening for ${prefix}.nobody`,
    });
  });
});
