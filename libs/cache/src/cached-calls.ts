import { Injectable } from '@nestjs/common';
import { CacheNamespace } from '@testpulse/contracts';
import { CallOptions, ServiceClient } from '@testpulse/messaging';
import { CacheRequest } from './cache-keys';
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
    options: CachedCallOptions = {},
  ): Promise<T> {
    const { request, compute } = this.cached<T>(namespace, pattern, payload, options);
    return (await this.cache.readShared(request, compute)).value;
  }

  callJson(
    namespace: CacheNamespace,
    pattern: string,
    payload: Record<string, unknown>,
    options: CachedCallOptions = {},
  ): Promise<CachedJson> {
    const { request, compute } = this.cached(namespace, pattern, payload, options);
    return this.cache.readJson(request, compute);
  }

  /** The cache entry of a call, and the call that computes it. */
  private cached<T>(
    namespace: CacheNamespace,
    pattern: string,
    payload: Record<string, unknown>,
    { projects, ...callOptions }: CachedCallOptions,
  ): { request: CacheRequest; compute: () => Promise<T> } {
    return {
      request: { namespace, projects: projects ?? [String(payload.project)], params: { pattern, payload } },
      compute: () => this.services.send<T>(pattern, payload, callOptions),
    };
  }
}
