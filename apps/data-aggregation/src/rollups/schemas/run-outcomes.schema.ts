import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { RUN_STATES, RunState } from '@testpulse/contracts';

/**
 * The per-test rollup: every test execution of a finished run, packed (see `packOutcomes` in
 * libs/domain), one document per run part of at most `OUTCOMES_PER_PART` executions. Written once
 * with insertMany when the run is finalised and never updated; they outlive raw results.
 * A test's daily bucket is the sum of its entries in the runs of that day.
 *
 * Why not one `$inc` bucket per test and day: on the local default (FerretDB 1.24, SQLite) an update
 * by `_id` costs time proportional to the collection and bulks of ~100 updates hang, so a run of
 * 5,000 tests would take minutes to roll up; and reading 1,000,000 small documents back takes
 * minutes, while 200 packed runs of 5,000 tests read in under a second (measured, see README).
 */
@Schema({ collection: 'run_outcomes', versionKey: false })
export class RunOutcomes {
  /** `project|runId|part`. */
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) project: string;
  @Prop({ required: true }) runId: string;
  @Prop({ required: true }) part: number;
  @Prop({ required: true }) parts: number;
  @Prop({ required: true }) day: string;
  @Prop({ required: true }) startedAt: Date;
  @Prop({ type: String, required: true, enum: RUN_STATES }) status: RunState;
  @Prop() branch?: string;
  @Prop() commit?: string;
  @Prop() environment?: string;
  /** Executions in the whole run, and how many of them failed or errored (outage detection). */
  @Prop({ required: true }) runTests: number;
  @Prop({ required: true }) runFailing: number;
  @Prop({ type: Buffer, required: true }) outcomes: Buffer;
  @Prop({ type: Buffer, required: true }) failures: Buffer;
}

export const RunOutcomesSchema = SchemaFactory.createForClass(RunOutcomes);
RunOutcomesSchema.index({ project: 1, day: 1 });

export const OUTCOMES_PER_PART = 100_000;

export const runOutcomesId = (project: string, runId: string, part: number): string =>
  `${project}|${runId}|${part}`;
