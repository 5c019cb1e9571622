import { Injectable } from '@nestjs/common';
import { AuthUser } from '@testpulse/auth';
import { CachedCalls } from '@testpulse/cache';
import { CacheNamespace } from '@testpulse/contracts';
import type { Response } from 'express';
import { AUDIT_AS_READ } from '../http/audit.middleware';
import { UsageRecorder } from '../usage/usage-recorder';

/**
 * Analyses through the two-layer cache, sent as the JSON the cache holds (no parse and serialise
 * on a hit). `X-Cache` says where the answer came from: local, redis, computed, shared (waited for
 * the same computation) or uncached (the cache's Redis was unreachable). Each read counts as a use;
 * a successful one is not audited (some analyses are POSTs, but they change nothing).
 */
@Injectable()
export class CachedReads {
  constructor(
    private readonly calls: CachedCalls,
    private readonly usage: UsageRecorder,
  ) {}

  async send(
    res: Response,
    user: AuthUser,
    namespace: CacheNamespace,
    pattern: string,
    payload: Record<string, unknown>,
    timeoutMs: number,
  ): Promise<void> {
    const plain = JSON.parse(JSON.stringify(payload)) as Record<string, unknown>;
    const project = String(plain.project);
    const { json, source } = await this.calls.callJson(namespace, pattern, plain, { timeoutMs });
    this.usage.record(user.username, namespace, [project], plain);
    res.locals[AUDIT_AS_READ] = true;
    res.status(200).type('application/json').setHeader('X-Cache', source).send(json);
  }
}
