import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { ResultStatus } from '@testpulse/domain';

/**
 * Per-test rollup rows: one per test and run (`_id` = `project|day|testId|runKey`), written once
 * with insertMany and never updated, so a re-applied run adds nothing. A test's day is the sum of
 * its rows of that day. They outlive raw results (retention deletes raw results only).
 * Insert-only on purpose: on the Mongo-compatible server used locally (FerretDB), updates of many
 * documents or of large documents are slow, while inserts are cheap.
 */
@Schema({ collection: 'test_day_stats', versionKey: false })
export class TestDayStats {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) project: string;
  @Prop({ required: true }) day: string;
  @Prop({ required: true }) testId: string;
  @Prop({ required: true }) suite: string;
  @Prop({ required: true }) runKey: string;
  @Prop({ required: true }) tests: number;
  @Prop({ required: true }) passed: number;
  @Prop({ required: true }) failed: number;
  @Prop({ required: true }) errored: number;
  @Prop({ required: true }) skipped: number;
  @Prop({ required: true }) flaky: number;
  @Prop({ required: true }) durationCount: number;
  @Prop({ required: true }) durationSum: number;
  @Prop() durationMin?: number;
  @Prop() durationMax?: number;
  @Prop({ type: Object, default: {} }) hist: Record<string, number>;
  /** Outcome of the test's last execution in the run. */
  @Prop({ type: String, required: true }) lastStatus: ResultStatus;
}

export const TestDayStatsSchema = SchemaFactory.createForClass(TestDayStats);
TestDayStatsSchema.index({ project: 1, testId: 1 });
TestDayStatsSchema.index({ project: 1, day: 1 });

export const testDayStatsId = (project: string, day: string, testId: string, runKey: string): string =>
  `${project}|${day}|${testId}|${runKey}`;
