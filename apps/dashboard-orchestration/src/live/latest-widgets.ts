import { Injectable } from '@nestjs/common';
import { canonicalJson } from '@testpulse/cache';
import { WidgetConfigDto, WidgetType } from '@testpulse/contracts';
import { LRUCache } from 'lru-cache';
import { normalConfig } from '../widgets/widget-data.service';

/** The key of what a widget shows: dashboards showing the same type and configuration share it. */
export function widgetKey(type: WidgetType, config: WidgetConfigDto): string {
  return canonicalJson({ type, config: normalConfig(type, config) });
}

/** Versions of one widget key kept as possible bases of a patch. */
const HISTORY = 3;

interface Known {
  version: string;
  data: unknown;
}

/**
 * Per widget key, the last versions this instance served (in a composed dashboard) or pushed (as a
 * live update): the base a live update's patch is computed from. A version just served may be the
 * very one a live recomputation then finds, while watchers still hold the one before: an update is
 * pushed whenever its version is not the last pushed one, patched from the newest other version.
 * Bounded; a key it has forgotten gets a whole-data update instead of a patch.
 */
@Injectable()
export class LatestWidgets {
  private readonly keys = new LRUCache<string, { history: Known[]; pushed?: string }>({ max: 5000 });

  remember(type: WidgetType, config: WidgetConfigDto, version: string, data: unknown): void {
    this.add(widgetKey(type, config), version, data);
  }

  /**
   * A recomputed version: undefined when it is the one last pushed (nothing to send), else the base
   * to patch from (null when none is known).
   */
  push(key: string, version: string, data: unknown): { base: Known | null } | undefined {
    const entry = this.keys.get(key);
    if (entry?.pushed === version) return undefined;
    const base = [...(entry?.history ?? [])].reverse().find((known) => known.version !== version) ?? null;
    this.add(key, version, data);
    (this.keys.get(key) as { pushed?: string }).pushed = version;
    return { base };
  }

  private add(key: string, version: string, data: unknown): void {
    let entry = this.keys.get(key);
    if (!entry) this.keys.set(key, (entry = { history: [] }));
    if (entry.history.at(-1)?.version === version) return;
    entry.history = [...entry.history.filter((known) => known.version !== version), { version, data }].slice(
      -HISTORY,
    );
  }
}
