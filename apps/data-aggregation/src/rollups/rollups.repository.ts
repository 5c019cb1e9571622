import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { AnyBulkWriteOperation, Model } from 'mongoose';
import { insertNew } from '../storage/insert-new';
import { BucketDelta, statsUpdate } from './rollup-plan';
import { MetricSnapshot } from './schemas/metric-snapshot.schema';
import { RunOutcomes } from './schemas/run-outcomes.schema';

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
  ) {}

  /** Writes a run's per-test rollup; parts already written (a re-applied run) are kept as they are. */
  async insertOutcomes(docs: RunOutcomes[]): Promise<void> {
    await insertNew(this.outcomes, docs);
  }

  /**
   * Applies a run's increments exactly once per bucket, without transactions: missing buckets are
   * created empty first, then each is incremented only if it does not list the run yet (the run is
   * added in the same update). Re-applying after a crash skips the buckets already counted.
   */
  async apply(runKey: string, deltas: BucketDelta[]): Promise<void> {
    for (let i = 0; i < deltas.length; i += CHUNK) {
      const chunk = deltas.slice(i, i + CHUNK);
      await this.ensureExist(chunk);
      const ops: AnyBulkWriteOperation<MetricSnapshot>[] = chunk.map((delta) => {
        const update = statsUpdate(delta.stats);
        return {
          updateOne: {
            filter: { _id: delta.id, runs: { $ne: runKey } },
            update: {
              $inc: update.$inc,
              $addToSet: { runs: runKey },
              ...(Object.keys(update.$min).length ? { $min: update.$min, $max: update.$max } : {}),
            },
          },
        };
      });
      await this.snapshots.bulkWrite(ops, { ordered: true });
    }
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
