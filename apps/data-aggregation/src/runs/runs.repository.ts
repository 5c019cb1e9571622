import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { DataVersions } from '@testpulse/cache';
import { RunState } from '@testpulse/contracts';
import { RunSummary } from '@testpulse/domain';
import { LRUCache } from 'lru-cache';
import { FilterQuery, Model } from 'mongoose';
import { findByIds } from '../storage/by-id';
import { RunHeadsRepository } from './run-heads.repository';
import { Run, runKey } from './schemas/run.schema';

export type RunRecord = Omit<Run, '_id'>;

const toRecord = ({ _id: _key, ...run }: Run): RunRecord => run;

/** The version of a project's runs (DataVersions): bumped by every write that changes what a run shows. */
export const runsVersion = (project: string): string => `runs:${project}`;

@Injectable()
export class RunsRepository {
  /**
   * The latest runs, under the version of their project's runs read before the read: live widgets
   * and dashboards ask for them on every change (a lookup of the head and one per run shown).
   */
  private readonly latestRead = new LRUCache<string, RunRecord[]>({ max: 2_000 });
  /**
   * Complete runs by key: what a run shows (status, end, summary, metadata) is written once, when it
   * is marked complete, so these copies need no version; the latest runs read again only the runs
   * still going and those new to the list.
   */
  private readonly completeRuns = new LRUCache<string, RunRecord>({ max: 2_000 });

  constructor(
    @InjectModel(Run.name) private readonly runs: Model<Run>,
    private readonly versions: DataVersions,
    private readonly heads: RunHeadsRepository,
  ) {}

  async find(project: string, runId: string): Promise<RunRecord | null> {
    const doc = await this.runs.findById(runKey(project, runId)).lean<Run>().exec();
    return doc ? toRecord(doc) : null;
  }

  /** Runs by key (`project|runId`), in order; unknown keys are left out. */
  async findByKeys(keys: readonly string[]): Promise<RunRecord[]> {
    return (await findByIds(this.runs, keys)).filter((doc): doc is Run => doc !== null).map(toRecord);
  }

  /**
   * Inserts the run unless one with this key exists; returns the stored run either way. The stored
   * run is listed in its heads before its creation is announced (a run sent again after a crash
   * between the two is listed then).
   */
  async insertIfAbsent(run: RunRecord): Promise<{ run: RunRecord; created: boolean }> {
    const _id = runKey(run.project, run.runId);
    const result = await this.runs.updateOne({ _id }, { $setOnInsert: run }, { upsert: true }).exec();
    const stored = await this.runs.findById(_id).lean<Run>().exec();
    if (!stored) throw new Error(`run ${_id} vanished after insert`);
    const listed = await this.heads.add(stored);
    if (result.upsertedCount > 0 || listed) await this.versions.bump(runsVersion(run.project));
    return { run: toRecord(stored), created: result.upsertedCount === 1 };
  }

  /** Reserves the next batch number of a run (for batches sent without one). */
  async reserveBatch(project: string, runId: string): Promise<number> {
    const doc = await this.runs
      .findOneAndUpdate(
        { _id: runKey(project, runId) },
        { $inc: { nextBatch: 1 } },
        { returnDocument: 'before' },
      )
      .lean<Run>()
      .exec();
    return doc?.nextBatch ?? 0;
  }

  /** Lists a batch on its run before the batch is stored (so finalisation will look for it). */
  async addBatch(project: string, runId: string, batch: string): Promise<void> {
    await this.runs.updateOne({ _id: runKey(project, runId) }, { $addToSet: { batches: batch } }).exec();
  }

  async projects(): Promise<string[]> {
    return (await this.runs.distinct('project').exec()) as string[];
  }

  async addLive(project: string, runId: string, delta: RunSummary, at: Date): Promise<void> {
    const inc = Object.fromEntries(Object.entries(delta).map(([k, v]) => [`live.${k}`, v]));
    await this.runs
      .updateOne({ _id: runKey(project, runId) }, { $inc: inc, $max: { lastActivityAt: at } })
      .exec();
    await this.versions.bump(runsVersion(project));
  }

  async markFinished(
    project: string,
    runId: string,
    fields: { status: RunState; finishedAt: Date; summary: RunSummary },
  ): Promise<void> {
    await this.runs
      .updateOne(
        { _id: runKey(project, runId) },
        { $set: { ...fields, live: fields.summary, complete: true } },
      )
      .exec();
    await this.versions.bump(runsVersion(project));
  }

  /** Records the end of the run before its rollups are applied (so a crash can be resumed). */
  async markClosing(project: string, runId: string, status: RunState, finishedAt: Date): Promise<void> {
    await this.runs.updateOne({ _id: runKey(project, runId) }, { $set: { status, finishedAt } }).exec();
    await this.versions.bump(runsVersion(project));
  }

  async page(
    filter: { project: string; branch?: string; status?: RunState },
    skip: number,
    limit: number,
  ): Promise<{ items: RunRecord[]; total: number }> {
    const query: FilterQuery<Run> = { project: filter.project };
    if (filter.branch) query.branch = filter.branch;
    if (filter.status) query.status = filter.status;
    const [docs, total] = await Promise.all([
      this.runs.find(query).sort({ startedAt: -1, _id: 1 }).skip(skip).limit(limit).lean<Run[]>().exec(),
      this.runs.countDocuments(query).exec(),
    ]);
    return { items: docs.map(toRecord), total };
  }

  /** The newest runs (read-only records: they may be shared with other callers). */
  async latest(project: string, limit: number, branch?: string): Promise<RunRecord[]> {
    const [version] = (await this.versions.current([runsVersion(project)])) ?? [];
    const key = version === undefined ? undefined : JSON.stringify([project, limit, branch ?? null, version]);
    const held = key === undefined ? undefined : this.latestRead.get(key);
    if (held) return held;
    const newest = await this.heads.newest(project, branch);
    const runs = newest
      ? await this.keepingComplete(newest.slice(0, limit))
      : await this.scanLatest(project, limit, branch);
    if (key !== undefined) this.latestRead.set(key, runs);
    return runs;
  }

  /** Runs by key, in order (unknown keys left out): complete ones from the copies, the rest read. */
  private async keepingComplete(keys: readonly string[]): Promise<RunRecord[]> {
    const held = keys.map((key) => this.completeRuns.get(key));
    const missing = keys.filter((_, i) => held[i] === undefined);
    const read = new Map(
      missing.length
        ? (await this.findByKeys(missing)).map((run) => [runKey(run.project, run.runId), run])
        : [],
    );
    for (const [key, run] of read) if (run.complete) this.completeRuns.set(key, run);
    return keys
      .map((key, i) => held[i] ?? read.get(key))
      .filter((run): run is RunRecord => run !== undefined);
  }

  /** The latest runs read from the runs themselves (a scan of them all on FerretDB). */
  private async scanLatest(project: string, limit: number, branch?: string): Promise<RunRecord[]> {
    const query: FilterQuery<Run> = branch ? { project, branch } : { project };
    const docs = await this.runs
      .find(query)
      .sort({ startedAt: -1, _id: 1 })
      .limit(limit)
      .lean<Run[]>()
      .exec();
    return docs.map(toRecord);
  }

  /** Runs still open whose last activity is older than `before`, and runs closed but never completed. */
  async unfinished(before: Date, limit: number): Promise<RunRecord[]> {
    const docs = await this.runs
      .find({ complete: false, lastActivityAt: { $lt: before } })
      .limit(limit)
      .lean<Run[]>()
      .exec();
    return docs.map(toRecord);
  }
}
