import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { AnyBulkWriteOperation, Model } from 'mongoose';
import { BucketDelta } from './rollup-plan';
import { MetricSnapshot } from './schemas/metric-snapshot.schema';

const CHUNK = 500;

@Injectable()
export class RollupsRepository {
  constructor(@InjectModel(MetricSnapshot.name) private readonly snapshots: Model<MetricSnapshot>) {}

  /**
   * Applies a run's increments exactly once per bucket, without transactions: each bucket is first
   * ensured to exist, then incremented only if it does not list the run yet (and the run is added in
   * the same update). Re-applying after a crash skips the buckets already counted.
   */
  async apply(runKey: string, deltas: BucketDelta[]): Promise<void> {
    for (let i = 0; i < deltas.length; i += CHUNK) {
      const ops: AnyBulkWriteOperation<MetricSnapshot>[] = deltas.slice(i, i + CHUNK).flatMap((d) => {
        const inc: Record<string, number> = {
          ...d.counts,
          durationCount: d.durationCount,
          durationSum: d.durationSum,
        };
        for (const [bucket, n] of Object.entries(d.hist)) inc[`hist.${bucket}`] = n;
        const extremes = d.durationCount > 0;
        return [
          {
            updateOne: {
              filter: { _id: d.id },
              update: {
                $setOnInsert: { project: d.project, day: d.day, scope: d.scope, key: d.key, suite: d.suite },
              },
              upsert: true,
            },
          },
          {
            updateOne: {
              filter: { _id: d.id, runs: { $ne: runKey } },
              update: {
                $inc: inc,
                $addToSet: { runs: runKey },
                ...(extremes
                  ? { $min: { durationMin: d.durationMin }, $max: { durationMax: d.durationMax } }
                  : {}),
              },
            },
          },
        ];
      });
      await this.snapshots.bulkWrite(ops, { ordered: true });
    }
  }

  async findByIds(ids: string[]): Promise<MetricSnapshot[]> {
    return this.snapshots
      .find({ _id: { $in: ids } })
      .lean<MetricSnapshot[]>()
      .exec();
  }
}
