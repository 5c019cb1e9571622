import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export const SNAPSHOT_SCOPES = ['project', 'suite'] as const;
export type SnapshotScope = (typeof SNAPSHOT_SCOPES)[number];

/** Counters of one day, for a project or a suite. */
export interface DayStats {
  tests: number;
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
  flaky: number;
  /** Duration statistics of executed (not skipped) tests. */
  durationCount: number;
  durationSum: number;
  durationMin?: number;
  durationMax?: number;
  /** Log2 histogram: `hist.h<i>` counts durations in bucket i (see durationBucket). */
  hist: Record<string, number>;
}

/**
 * Daily rollup bucket (`MetricSnapshot`): one per project and day, one per project, suite and day,
 * updated with `$inc`, so a run touches 1 + (number of suites) documents and reads are equality
 * lookups on `_id` = `project|day|scope|key`. `runs` lists the runs already counted: applying a run
 * twice changes nothing. The per-test rollup is `run_outcomes` (packed per run).
 */
@Schema({ collection: 'metric_snapshots', versionKey: false, minimize: false })
export class MetricSnapshot implements DayStats {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) project: string;
  @Prop({ required: true }) day: string;
  @Prop({ type: String, required: true, enum: SNAPSHOT_SCOPES }) scope: SnapshotScope;
  /** '' for the project, else the suite name. */
  @Prop({ type: String, default: '' }) key: string;
  @Prop({ type: [String], default: [] }) runs: string[];
  /**
   * Project buckets written before the day index (`day_index`) held them: the suites that have a
   * bucket that day. Newer buckets leave them to the index.
   */
  @Prop({ type: [String], default: undefined }) suites?: string[];
  @Prop({ default: 0 }) tests: number;
  @Prop({ default: 0 }) passed: number;
  @Prop({ default: 0 }) failed: number;
  @Prop({ default: 0 }) errored: number;
  @Prop({ default: 0 }) skipped: number;
  @Prop({ default: 0 }) flaky: number;
  @Prop({ default: 0 }) durationCount: number;
  @Prop({ default: 0 }) durationSum: number;
  @Prop() durationMin?: number;
  @Prop() durationMax?: number;
  @Prop({ type: Object, default: {} }) hist: Record<string, number>;
}

export const MetricSnapshotSchema = SchemaFactory.createForClass(MetricSnapshot);
MetricSnapshotSchema.index({ project: 1, day: 1, scope: 1 });

export const snapshotId = (project: string, day: string, scope: SnapshotScope, key = ''): string =>
  `${project}|${day}|${scope}|${key}`;
