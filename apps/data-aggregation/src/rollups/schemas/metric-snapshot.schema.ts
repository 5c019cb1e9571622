import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export const SNAPSHOT_SCOPES = ['project', 'suite', 'test'] as const;
export type SnapshotScope = (typeof SNAPSHOT_SCOPES)[number];

/**
 * Daily rollup bucket (`MetricSnapshot`): per project, per project+suite and per test.
 * `_id` is `project|day|scope|key`, so dashboards and reports read buckets by equality.
 * `runs` lists the runs already counted: applying a run twice changes nothing.
 */
@Schema({ collection: 'metric_snapshots', versionKey: false })
export class MetricSnapshot {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) project: string;
  @Prop({ required: true }) day: string;
  @Prop({ type: String, required: true, enum: SNAPSHOT_SCOPES }) scope: SnapshotScope;
  /** '' for the project, the suite name, or the testId. */
  @Prop({ type: String, default: '' }) key: string;
  @Prop() suite?: string;
  @Prop({ type: [String], default: [] }) runs: string[];
  @Prop({ default: 0 }) tests: number;
  @Prop({ default: 0 }) passed: number;
  @Prop({ default: 0 }) failed: number;
  @Prop({ default: 0 }) errored: number;
  @Prop({ default: 0 }) skipped: number;
  @Prop({ default: 0 }) flaky: number;
  /** Consecutive outcomes of a test that changed between pass and fail. */
  @Prop({ default: 0 }) flips: number;
  /** Duration statistics of executed (not skipped) tests. */
  @Prop({ default: 0 }) durationCount: number;
  @Prop({ default: 0 }) durationSum: number;
  @Prop() durationMin?: number;
  @Prop() durationMax?: number;
  /** Log2 histogram: `hist.h<i>` counts durations in bucket i (see durationBucket). */
  @Prop({ type: Object, default: {} }) hist: Record<string, number>;
}

export const MetricSnapshotSchema = SchemaFactory.createForClass(MetricSnapshot);
MetricSnapshotSchema.index({ project: 1, day: 1, scope: 1 });

export const snapshotId = (project: string, day: string, scope: SnapshotScope, key = ''): string =>
  `${project}|${day}|${scope}|${key}`;
