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
