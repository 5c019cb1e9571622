import { Inject, Injectable, Optional } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { AnalyticsEngineEnv } from '../env';
import { OutcomePiece } from './outcome-window';
import { StatesPiece } from './states-window';

export type Kind = 'states' | 'outcomes';

interface Held {
  piece: StatesPiece | OutcomePiece;
  size: number;
  day: string;
}

/** Memory when no env says (tests). */
const DEFAULT_MB = 256;

/** About the memory a decoded run takes: its columns, fingerprints and header. */
export function pieceSize(piece: StatesPiece | OutcomePiece): number {
  if ('columns' in piece) return 600 + piece.columns.count * 6 + piece.columns.fingerprints.size * 80;
  return piece.parts.reduce(
    (n, part) => n + part.packed.byteLength + part.count * 12 + part.fingerprints.size * 80,
    600,
  );
}

/**
 * Decoded runs of the windows analysed lately, by project and runId, bounded in bytes (RUN_MEMO_MB),
 * least recently used out first. Only finished runs are read for analyses, and a finished run's
 * states and outcomes never change: a window after a new run is the held runs plus that run, which
 * is all that is asked of data-aggregation (and sent, and decoded).
 */
@Injectable()
export class RunMemo {
  private readonly held: LRUCache<string, Held>;
  /** Held runIds by kind and project, with their days: the runs a request can name as known. */
  private readonly index = new Map<string, Map<string, string>>();

  constructor(@Optional() @Inject(AnalyticsEngineEnv) env?: AnalyticsEngineEnv) {
    this.held = new LRUCache<string, Held>({
      maxSize: (env?.RUN_MEMO_MB ?? DEFAULT_MB) * 1024 * 1024,
      sizeCalculation: (entry) => Math.max(1, entry.size),
      dispose: (_entry, key) => {
        const [kind, project, runId] = JSON.parse(key) as [Kind, string, string];
        this.index.get(`${kind}|${project}`)?.delete(runId);
      },
    });
  }

  /** The held runs of a project whose day is in [from, to], by runId. */
  within<T extends StatesPiece | OutcomePiece>(
    kind: Kind,
    project: string,
    from: string,
    to: string,
  ): Map<string, T> {
    const found = new Map<string, T>();
    for (const [runId, day] of this.index.get(`${kind}|${project}`) ?? []) {
      if (day < from || day > to) continue;
      const held = this.held.get(JSON.stringify([kind, project, runId]));
      if (held) found.set(runId, held.piece as T);
    }
    return found;
  }

  put(kind: Kind, project: string, runId: string, day: string, piece: StatesPiece | OutcomePiece): void {
    this.held.set(JSON.stringify([kind, project, runId]), { piece, size: pieceSize(piece), day });
    const runs = this.index.get(`${kind}|${project}`) ?? new Map<string, string>();
    runs.set(runId, day);
    this.index.set(`${kind}|${project}`, runs);
  }

  get size(): number {
    return this.held.size;
  }
}
