import { Injectable } from '@nestjs/common';
import { CacheNamespace } from '@testpulse/contracts';
import { CallOptions, ServiceClient } from '@testpulse/messaging';
import { CachedJson, TwoLayerCache } from './two-layer-cache';

export interface CachedCallOptions extends CallOptions {
  /** Projects the answer is computed from (default: the payload's `project`). */
  projects?: string[];
}

/**
 * Request/response calls to computing services, through the cache. The key is the pattern and the
 * payload, so every caller (the gateway, report-generation, cache warming) shares the entries.
 */
@Injectable()
export class CachedCalls {
  constructor(
    private readonly cache: TwoLayerCache,
    private readonly services: ServiceClient,
  ) {}

  async call<T>(
    namespace: CacheNamespace,
    pattern: string,
    payload: Record<string, unknown>,
    options: CachedCallOptions = {},
  ): Promise<T> {
    return JSON.parse((await this.callJson(namespace, pattern, payload, options)).json) as T;
  }

  /**
   * As call(), but the answer is deep-frozen and shared by every call that finds the same entry in
   * this process (TwoLayerCache.readShared): for callers that only read it.
   */
  async callShared<T>(
    namespace: CacheNamespace,
    pattern: string,
    payload: Record<string, unknown>,
    { projects, ...callOptions }: CachedCallOptions = {},
  ): Promise<T> {
    const scope = projects ?? [String(payload.project)];
    const { value } = await this.cache.readShared<T>(
      { namespace, projects: scope, params: { pattern, payload } },
      () => this.services.send<T>(pattern, payload, callOptions),
    );
    return value;
  }

  callJson(
    namespace: CacheNamespace,
    pattern: string,
    payload: Record<string, unknown>,
    { projects, ...callOptions }: CachedCallOptions = {},
  ): Promise<CachedJson> {
    const scope = projects ?? [String(payload.project)];
    return this.cache.readJson({ namespace, projects: scope, params: { pattern, payload } }, () =>
      this.services.send(pattern, payload, callOptions),
    );
  }
}
