import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { RUN_STATES, RunState } from '@testpulse/contracts';
import { RunSummary } from '@testpulse/domain';

/**
 * A finished run's test states (see `packStates` in libs/domain): each execution's status, retry-pass
 * flag and failure fingerprint by the test's ordinal in the project catalogue, about 2 bytes per
 * execution, with the run's header. Flakiness and failure clusters read these: 30 days of a project
 * of 5,000 tests are about 1 MB, where the same runs' packed outcomes (`run_outcomes`, which add
 * durations and attempts) are 12 MB. Written once when the run is finalised, never updated.
 */
@Schema({ collection: 'run_states', versionKey: false })
export class RunStates {
  /** `project|runId`. */
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) project: string;
  @Prop({ required: true }) runId: string;
  @Prop({ required: true }) day: string;
  @Prop({ required: true }) startedAt: Date;
  @Prop() finishedAt?: Date;
  @Prop({ type: String, required: true, enum: RUN_STATES }) status: RunState;
  @Prop() branch?: string;
  @Prop() commit?: string;
  @Prop() environment?: string;
  @Prop({ type: Object, required: true }) summary: RunSummary;
  /** Executions in the run, and how many failed or errored (outage detection). */
  @Prop({ required: true }) runTests: number;
  @Prop({ required: true }) runFailing: number;
  @Prop({ type: Buffer, required: true }) states: Buffer;
  @Prop({ type: Buffer, required: true }) failures: Buffer;
}

export const RunStatesSchema = SchemaFactory.createForClass(RunStates);
