import { Injectable } from '@nestjs/common';
import { DataVersions, canonicalJson } from '@testpulse/cache';
import { dayDataVersion } from '@testpulse/contracts';

const DAY_MS = 24 * 3600 * 1000;

/** The UTC days from `from` to `to`, inclusive. */
function daysOf(from: string, to: string): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  const count = Math.round((Date.parse(`${to}T00:00:00Z`) - start) / DAY_MS) + 1;
  return Array.from({ length: Math.max(0, count) }, (_, i) =>
    new Date(start + i * DAY_MS).toISOString().slice(0, 10),
  );
}

/**
 * Analyses being computed, shared with identical requests that arrive meanwhile over the same stored
 * data. The key is the request, the days it reads and their data versions, read when the request
 * arrives, before any of its data: a request that finds the same analysis running on the same
 * versions would compute the same thing from the same data. Callers keyed by different cache
 * generations (a dashboard recomputed after one project's run asking again for another project's
 * analysis, the gateway, report-generation, cache warming) then share one computation. Nothing is
 * kept once it is done: keeping answers is the cache's job, under its generations.
 */
@Injectable()
export class SharedAnalyses {
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(private readonly versions: DataVersions) {}

  async run<T>(
    kind: string,
    request: { project: string },
    span: { from: string; to: string },
    compute: () => Promise<T>,
  ): Promise<T> {
    const names = daysOf(span.from, span.to).map((day) => dayDataVersion(request.project, day));
    const versions = await this.versions.current(names);
    if (!versions) return compute();
    const key = canonicalJson({ kind, request, span, versions });
    const running = this.running.get(key) as Promise<T> | undefined;
    if (running) return running;
    const started = compute().finally(() => this.running.delete(key));
    this.running.set(key, started);
    return started;
  }
}
