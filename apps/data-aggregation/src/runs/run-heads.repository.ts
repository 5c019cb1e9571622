import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { DataVersions } from '@testpulse/cache';
import { LATEST_RUNS_MAX } from '@testpulse/contracts';
import { LRUCache } from 'lru-cache';
import { Model } from 'mongoose';
import { findByIds } from '../storage/by-id';
import { insertNew } from '../storage/insert-new';
import { RUN_HEADS_COMPLETE, RunHead, RunHeadEntry, RunHeadMark, runHeadId } from './schemas/run-head.schema';
import { Run, runKey } from './schemas/run.schema';

/** Runs a head keeps when it is cut: as many as the latest runs are ever asked for. */
export const RUN_HEAD_KEPT = LATEST_RUNS_MAX;

/** The version of a project's heads (DataVersions): bumped when a run is listed in them. */
export const runHeadsVersion = (project: string): string => `run-heads:${project}`;

/** The run a head lists: what orders it, and where it belongs. */
export interface HeadedRun {
  project: string;
  runId: string;
  branch?: string;
  startedAt: Date;
}

/** Newest first (start time, then runId: the order of `_id` within a project), each run once. */
export function newestFirst(entries: readonly RunHeadEntry[], limit: number): RunHeadEntry[] {
  const seen = new Set<string>();
  return [...entries]
    .sort(
      (a, b) =>
        b.startedAt.getTime() - a.startedAt.getTime() || (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0),
    )
    .filter((entry) => !seen.has(entry.runId) && seen.add(entry.runId))
    .slice(0, limit);
}

/**
 * The newest runs of each project and branch (`run_heads`, see RunHead), kept as runs are created,
 * so that the latest runs are `_id` lookups. A head grows by one entry per run and is cut back to the
 * newest RUN_HEAD_KEPT when it holds twice as many. Runs stored before heads existed are added at
 * start-up (one scan of the runs, once per database), then a mark says so; until then the latest
 * runs are read from the runs themselves, as before.
 */
@Injectable()
export class RunHeadsRepository implements OnApplicationBootstrap {
  private readonly logger = new Logger(RunHeadsRepository.name);
  /** The mark was seen: heads stay complete from then on. */
  private complete = false;
  /** Each head's keys, newest first, under its project's heads version read before the read. */
  private readonly newestRead = new LRUCache<string, string[]>({ max: 2_000 });

  constructor(
    @InjectModel(RunHead.name) private readonly heads: Model<RunHead>,
    @InjectModel(RunHeadMark.name) private readonly marks: Model<RunHeadMark>,
    @InjectModel(Run.name) private readonly runs: Model<Run>,
    private readonly versions: DataVersions,
  ) {}

  onApplicationBootstrap(): void {
    // In the background: the latest runs are read from the runs until it is done.
    void this.backfill().catch((error) =>
      this.logger.error({ err: error }, 'run heads backfill failed; it is tried again at the next start'),
    );
  }

  /**
   * Lists a stored run in its project's head and its branch's (idempotent), and bumps the project's
   * heads version when one of them did not list it yet (then true). Call it before announcing the
   * run (bumping its project's runs version): whoever sees the new runs version sees the new heads.
   */
  async add(run: HeadedRun): Promise<boolean> {
    const entry: RunHeadEntry = { runId: run.runId, startedAt: run.startedAt };
    const added = await Promise.all([
      this.addTo(run.project, undefined, entry),
      ...(run.branch ? [this.addTo(run.project, run.branch, entry)] : []),
    ]);
    const listed = added.some(Boolean);
    if (listed) await this.versions.bump(runHeadsVersion(run.project));
    return listed;
  }

  /**
   * The keys (`project|runId`) of the project's newest runs (of one branch when given), newest first,
   * at most RUN_HEAD_KEPT; `undefined` while heads may miss runs stored before they existed. Read
   * once per heads version (progress and ends of runs leave it be).
   */
  async newest(project: string, branch?: string): Promise<string[] | undefined> {
    if (!(await this.isComplete())) return undefined;
    const _id = runHeadId(project, branch || undefined);
    const [version] = (await this.versions.current([runHeadsVersion(project)])) ?? [];
    const memoKey = version === undefined ? undefined : `${_id}\n${version}`;
    const held = memoKey === undefined ? undefined : this.newestRead.get(memoKey);
    if (held) return held;
    const [head] = await findByIds(this.heads, [_id]);
    const keys = head
      ? newestFirst(head.runs, RUN_HEAD_KEPT).map((entry) => runKey(project, entry.runId))
      : [];
    if (memoKey !== undefined) this.newestRead.set(memoKey, keys);
    return keys;
  }

  /**
   * Adds every stored run to its heads, then marks the heads complete. Runs created during the scan
   * add themselves. Returns how many runs the scan found.
   */
  async backfill(): Promise<number> {
    if (await this.isComplete()) return 0;
    const byHead = new Map<string, { project: string; branch?: string; runs: RunHeadEntry[] }>();
    const collect = (project: string, branch: string | undefined, entry: RunHeadEntry) => {
      const _id = runHeadId(project, branch);
      const head = byHead.get(_id) ?? { project, ...(branch ? { branch } : {}), runs: [] };
      head.runs.push(entry);
      // Bounded while scanning: only the newest RUN_HEAD_KEPT of each head are written.
      if (head.runs.length >= 2 * RUN_HEAD_KEPT) head.runs = newestFirst(head.runs, RUN_HEAD_KEPT);
      byHead.set(_id, head);
    };
    const cursor = this.runs.collection.find(
      {},
      { projection: { _id: 0, project: 1, runId: 1, branch: 1, startedAt: 1 } },
    );
    let found = 0;
    for await (const doc of cursor) {
      const { project, runId, branch, startedAt } = doc as unknown as HeadedRun;
      collect(project, undefined, { runId, startedAt });
      if (branch) collect(project, branch, { runId, startedAt });
      found += 1;
    }
    for (const [_id, { project, branch, runs }] of byHead) {
      await this.heads.collection.updateOne(
        { _id } as never,
        {
          $addToSet: { runs: { $each: newestFirst(runs, RUN_HEAD_KEPT) } },
          $inc: { rev: 1 },
          $setOnInsert: { project, ...(branch ? { branch } : {}) },
        } as never,
        { upsert: true },
      );
      await this.versions.bump(runHeadsVersion(project));
    }
    await insertNew(this.marks, [{ _id: RUN_HEADS_COMPLETE, completedAt: new Date() }]);
    this.complete = true;
    if (found > 0) this.logger.log({ runs: found, heads: byHead.size }, 'run heads backfilled');
    return found;
  }

  private async addTo(project: string, branch: string | undefined, entry: RunHeadEntry): Promise<boolean> {
    const _id = runHeadId(project, branch);
    const before = (await this.heads.collection.findOneAndUpdate(
      { _id } as never,
      {
        $addToSet: { runs: entry },
        $inc: { rev: 1 },
        $setOnInsert: { project, ...(branch ? { branch } : {}) },
      } as never,
      { upsert: true, returnDocument: 'before' },
    )) as RunHead | null;
    if (!before) return true;
    const same = (listed: RunHeadEntry) =>
      listed.runId === entry.runId && listed.startedAt.getTime() === entry.startedAt.getTime();
    if (before.runs.some(same)) return false;
    // Cut back when it holds twice what is kept; only if no other run was added meanwhile (`rev`).
    if (before.runs.length + 1 >= 2 * RUN_HEAD_KEPT)
      await this.heads.collection.updateOne(
        { _id, rev: before.rev + 1 } as never,
        { $set: { runs: newestFirst([...before.runs, entry], RUN_HEAD_KEPT) } } as never,
      );
    return true;
  }

  private async isComplete(): Promise<boolean> {
    if (!this.complete) this.complete = (await findByIds(this.marks, [RUN_HEADS_COMPLETE]))[0] !== null;
    return this.complete;
  }
}
