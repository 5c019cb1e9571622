import { createHash } from 'node:crypto';

/** Every key and channel of the cache starts with this. */
export const CACHE_PREFIX = 'tp:cache';

/** Channel of invalidations and stats requests, heard by every process that caches. */
export const CACHE_EVENTS_CHANNEL = `${CACHE_PREFIX}:events`;

/** Sorted set of live cache instances, scored by their last heartbeat (epoch ms). */
export const CACHE_INSTANCES_KEY = `${CACHE_PREFIX}:instances`;

/** What a cached read is: its namespace, the projects its data comes from, and its parameters. */
export interface CacheRequest {
  namespace: string;
  projects: readonly string[];
  params: unknown;
}

/** Which entries an invalidation makes unreachable: a project, a namespace, both, or (neither) all. */
export interface CacheScope {
  project?: string;
  namespace?: string;
}

/**
 * JSON with object keys sorted and undefined members left out, so that equal requests give equal
 * keys whatever order their fields were written in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  const members = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${members.join(',')}}`;
}

/** The generation counter an invalidation of `scope` bumps. */
export function counterOf(scope: CacheScope): string {
  if (scope.project && scope.namespace) return `${CACHE_PREFIX}:gen:np:${scope.namespace}:${scope.project}`;
  if (scope.project) return `${CACHE_PREFIX}:gen:p:${scope.project}`;
  if (scope.namespace) return `${CACHE_PREFIX}:gen:ns:${scope.namespace}`;
  return `${CACHE_PREFIX}:gen:all`;
}

/**
 * The counters an entry of `request` depends on: everything, its namespace, and for each of its
 * projects the project and the project within the namespace. Bumping any one of them makes the
 * entry unreachable, because its key carries their values.
 */
export function countersOf(request: CacheRequest): string[] {
  const counters = [counterOf({}), counterOf({ namespace: request.namespace })];
  for (const project of [...new Set(request.projects)].sort()) {
    counters.push(counterOf({ project }), counterOf({ project, namespace: request.namespace }));
  }
  return counters;
}

/**
 * The key of an entry: namespace, a hash of the projects, the parameters and the UTC day (analyses
 * read windows that end today), and the values of the counters it depends on.
 */
export function entryKey(request: CacheRequest, generations: readonly number[], day: string): string {
  const identity = canonicalJson({ projects: [...new Set(request.projects)].sort(), params: request.params });
  const hash = createHash('sha256')
    .update(identity)
    .update('\n')
    .update(day)
    .digest('base64url')
    .slice(0, 32);
  return `${CACHE_PREFIX}:v1:${request.namespace}:${hash}:${generations.join('.')}`;
}

/** Whether an invalidation of `scope` reaches an entry of this namespace and these projects. */
export function inScope(scope: CacheScope, namespace: string, projects: readonly string[]): boolean {
  if (scope.namespace && scope.namespace !== namespace) return false;
  if (scope.project && !projects.includes(scope.project)) return false;
  return true;
}

/** `ttlSeconds` less up to `jitter` of it, at random, in milliseconds: entries made together expire apart. */
export function jitteredTtlMs(ttlSeconds: number, jitter: number, random = Math.random): number {
  return Math.max(1000, Math.round(ttlSeconds * 1000 * (1 - jitter * random())));
}
