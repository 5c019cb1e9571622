import { Inject, Injectable } from '@nestjs/common';
import { CachedCalls } from '@testpulse/cache';
import {
  ANALYTICS_PATTERNS,
  DASHBOARD_PATTERNS,
  REPORT_PATTERNS,
  USAGE_PATTERNS,
  UsageKind,
  UsageTopEntryView,
  WarmCacheDto,
  WarmCacheView,
  WarmReportReply,
  WarmedEntryView,
} from '@testpulse/contracts';
import { ServiceClient } from '@testpulse/messaging';
import { CacheManagementEnv } from '../env';

/** The analysis pattern behind each analytics namespace (the gateway's cached reads use the same). */
const ANALYSIS_PATTERN: Partial<Record<UsageKind, string>> = {
  'analytics.flakiness': ANALYTICS_PATTERNS.flakiness,
  'analytics.quality': ANALYTICS_PATTERNS.qualityScore,
  'analytics.trends': ANALYTICS_PATTERNS.trends,
  'analytics.metrics': ANALYTICS_PATTERNS.metrics,
  'analytics.patterns': ANALYTICS_PATTERNS.patterns,
};
/** What dashboards read: their widgets' data, and the analyses behind them (also read alone). */
const DASHBOARD_KINDS = [...(Object.keys(ANALYSIS_PATTERN) as UsageKind[]), 'dashboard.widgets' as const];
const DEFAULT_LIMIT = 20;

/**
 * Computes what users open most into the cache: the most used analyses, dashboard widgets and reports, as
 * user-preferences counts them, one at a time (warming must not crowd out users' own reads).
 */
@Injectable()
export class WarmingService {
  constructor(
    private readonly services: ServiceClient,
    private readonly calls: CachedCalls,
    @Inject(CacheManagementEnv) private readonly env: CacheManagementEnv,
  ) {}

  async warm(request: WarmCacheDto): Promise<WarmCacheView> {
    const started = performance.now();
    const kinds = [
      ...(request.dashboards !== false ? DASHBOARD_KINDS : []),
      ...(request.reports !== false ? (['reports'] as const) : []),
    ];
    if (kinds.length === 0) return { warmed: [], ms: 0 };
    const top = await this.services.send<UsageTopEntryView[]>(USAGE_PATTERNS.top, {
      ...(request.project ? { project: request.project } : {}),
      kinds,
      limit: request.limit ?? DEFAULT_LIMIT,
    });
    const warmed: WarmedEntryView[] = [];
    for (const entry of top) warmed.push(await this.warmOne(entry));
    return { warmed, ms: Math.round(performance.now() - started) };
  }

  private async warmOne(entry: UsageTopEntryView): Promise<WarmedEntryView> {
    const started = performance.now();
    const done = (outcome: WarmedEntryView['outcome'], error?: string): WarmedEntryView => ({
      kind: entry.kind,
      projects: entry.projects,
      uses: entry.uses,
      outcome,
      ms: Math.round(performance.now() - started),
      ...(error ? { error } : {}),
    });
    try {
      const pattern = ANALYSIS_PATTERN[entry.kind];
      if (pattern) {
        const { source } = await this.calls.callJson(entry.kind, pattern, entry.params, {
          projects: entry.projects,
          timeoutMs: this.env.WARM_TIMEOUT_MS,
        });
        return done(source === 'local' || source === 'redis' ? 'hit' : 'computed');
      }
      if (entry.kind === 'dashboard.widgets') {
        const widget = await this.services.send<{ cached: boolean }>(
          DASHBOARD_PATTERNS.warmWidget,
          entry.params,
          {
            timeoutMs: this.env.WARM_TIMEOUT_MS,
          },
        );
        return done(widget.cached ? 'hit' : 'computed');
      }
      const reply = await this.services.send<WarmReportReply>(REPORT_PATTERNS.warm, entry.params, {
        timeoutMs: this.env.WARM_TIMEOUT_MS,
      });
      return done(reply.cached ? 'hit' : 'computed');
    } catch (error) {
      return done('failed', (error as Error).message);
    }
  }
}
