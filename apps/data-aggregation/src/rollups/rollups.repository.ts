import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { AnyBulkWriteOperation, Model } from 'mongoose';
import { findByIds } from '../storage/by-id';
import { insertNew } from '../storage/insert-new';
import { BucketDelta, statsUpdate } from './rollup-plan';
import { DayIndex, dayIndexId } from './schemas/day-index.schema';
import { MetricSnapshot } from './schemas/metric-snapshot.schema';
import { RunOutcomes, runOutcomesId } from './schemas/run-outcomes.schema';
import { bytesOf } from '../storage/bytes';
import { DayRunStates, DayStates, MAX_DAY_STATES_BYTES, dayStatesId } from './schemas/day-states.schema';

/**
 * Updates per bulkWrite. Unpatched FerretDB 1.24 stops answering for good when about 100 update
 * statements are in flight (scripts/infra/ferretdb-patches/0002 fixes the one this project builds);
 * chunks stay below that so that a stock FerretDB works too.
 */
const CHUNK = 50;

@Injectable()
export class RollupsRepository {
  constructor(
    @InjectModel(MetricSnapshot.name) private readonly snapshots: Model<MetricSnapshot>,
    @InjectModel(RunOutcomes.name) private readonly outcomes: Model<RunOutcomes>,
    @InjectModel(DayStates.name) private readonly dayStates: Model<DayStates>,
    @InjectModel(DayIndex.name) private readonly dayIndex: Model<DayIndex>,
  ) {}

  /**
   * Adds a finished run to its day's states, once: a chunk that lists the run already is left alone.
   * The caller holds the run's finalisation lease, so the check and the push cannot interleave with
   * another push of the same run; runs of other leases push with `$push`, which does not lose theirs.
   */
  async pushDayStates(project: string, day: string, entry: DayRunStates): Promise<void> {
    const size = bytesOf(entry.states).byteLength + bytesOf(entry.failures).byteLength;
    for (let chunk = 0; ; chunk++) {
      const _id = dayStatesId(project, day, chunk);
      await insertNew(this.dayStates, [{ _id, project, day, chunk, runs: [], bytes: 0 }]);
      const [doc] = await findByIds(this.dayStates, [_id]);
      if (doc?.runs.some((run) => run.runId === entry.runId)) return;
      if (doc?.next) continue;
      if (doc && doc.runs.length > 0 && doc.bytes + size > MAX_DAY_STATES_BYTES) {
        await this.dayStates.collection.updateOne({ _id } as never, { $set: { next: true } });
        continue;
      }
      await this.dayStates.collection.updateOne(
        { _id } as never,
        {
          $push: { runs: entry },
          $inc: { bytes: size },
        } as never,
      );
      return;
    }
  }

  /** The states of a project's days, every chunk of each (days without any are left out). */
  async dayStatesOf(project: string, days: readonly string[]): Promise<DayStates[]> {
    const found: DayStates[] = [];
    let pending = days.map((day) => ({ day, chunk: 0 }));
    while (pending.length > 0) {
      const docs = await findByIds(
        this.dayStates,
        pending.map(({ day, chunk }) => dayStatesId(project, day, chunk)),
      );
      const next: typeof pending = [];
      docs.forEach((doc, i) => {
        if (!doc) return;
        found.push(doc);
        if (doc.next) next.push({ day: pending[i].day, chunk: pending[i].chunk + 1 });
      });
      pending = next;
    }
    return found;
  }

  /** Writes a run's per-test rollup; parts already written (a re-applied run) are kept as they are. */
  async insertOutcomes(docs: RunOutcomes[]): Promise<void> {
    await insertNew(this.outcomes, docs);
  }

  /**
   * Applies a run's increments exactly once per bucket, without transactions: missing buckets are
   * created empty first, then each bucket that does not list the run yet is incremented and lists
   * it in the same update. Re-applying after a crash skips the buckets already counted. The caller
   * holds the run's finalisation lock (Leases), so the check and the update cannot interleave with
   * another finalisation of the same run, and every filter is a single `_id` equality (FerretDB
   * scans the collection for any other filter).
   */
  async apply(runKey: string, deltas: BucketDelta[]): Promise<void> {
    // The day's index first: a bucket that counts the run never lists a suite the index lacks.
    for (const delta of deltas) if (delta.scope === 'project') await this.addToDayIndex(delta);
    for (let i = 0; i < deltas.length; i += CHUNK) {
      const chunk = deltas.slice(i, i + CHUNK);
      await this.ensureExist(chunk);
      const stored = await findByIds(
        this.snapshots,
        chunk.map((delta) => delta.id),
        { _id: 1, runs: 1 },
      );
      const pending = chunk.filter((_, index) => !stored[index]?.runs?.includes(runKey));
      if (pending.length === 0) continue;
      const ops: AnyBulkWriteOperation<MetricSnapshot>[] = pending.map((delta) => {
        const update = statsUpdate(delta.stats);
        return {
          updateOne: {
            filter: { _id: delta.id },
            update: {
              $inc: update.$inc,
              $addToSet: {
                runs: runKey,
              },
              ...(Object.keys(update.$min).length ? { $min: update.$min, $max: update.$max } : {}),
            },
          },
        };
      });
      await this.snapshots.bulkWrite(ops, { ordered: true });
    }
  }

  /** Adds the run's suites and failure fingerprints to its day's index (idempotent: `$addToSet`). */
  private async addToDayIndex(delta: BucketDelta): Promise<void> {
    const _id = dayIndexId(delta.project, delta.day);
    await insertNew(this.dayIndex, [
      { _id, project: delta.project, day: delta.day, suites: [], fingerprints: [] },
    ]);
    const suites = delta.suites ?? [];
    const fingerprints = delta.fingerprints ?? [];
    if (suites.length + fingerprints.length === 0) return;
    await this.dayIndex.collection.updateOne({ _id } as never, {
      $addToSet: { suites: { $each: suites }, fingerprints: { $each: fingerprints } },
    });
  }

  /** Day indexes of a project, by day, in order (`null` where none is stored). */
  dayIndexesOf(project: string, days: readonly string[]): Promise<Array<DayIndex | null>> {
    return findByIds(
      this.dayIndex,
      days.map((day) => dayIndexId(project, day)),
    );
  }

  /** Buckets by `_id`, in order (null where none exists). */
  async bucketsByIds(ids: string[]): Promise<Array<MetricSnapshot | null>> {
    return findByIds(this.snapshots, ids);
  }

  /** The per-test rollup parts of a run, in order (part 0 says how many there are). */
  /** The stored parts of each run's per-test rollup, by runId (runs without one are left out). */
  async outcomesOf(project: string, runIds: readonly string[]): Promise<Map<string, RunOutcomes[]>> {
    const firsts = await findByIds(
      this.outcomes,
      runIds.map((runId) => runOutcomesId(project, runId, 0)),
    );
    const restIds = firsts.flatMap((first) =>
      first
        ? Array.from({ length: first.parts - 1 }, (_, i) => runOutcomesId(project, first.runId, i + 1))
        : [],
    );
    const rest = await findByIds(this.outcomes, restIds);
    const byRun = new Map<string, RunOutcomes[]>();
    for (const part of [...firsts, ...rest]) {
      if (!part) continue;
      const parts = byRun.get(part.runId) ?? [];
      parts.push(part);
      byRun.set(part.runId, parts);
    }
    for (const parts of byRun.values()) parts.sort((a, b) => a.part - b.part);
    return byRun;
  }

  /** Creates the buckets that do not exist yet, empty (an insert of those stored already does nothing). */
  private async ensureExist(deltas: BucketDelta[]): Promise<void> {
    await insertNew(
      this.snapshots,
      deltas.map(
        (d) =>
          ({
            _id: d.id,
            project: d.project,
            day: d.day,
            scope: d.scope,
            key: d.key,
            runs: [],
          }) as unknown as MetricSnapshot,
      ),
    );
  }
}
