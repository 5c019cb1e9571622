import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { INGEST_FORMATS, IngestFormat, RUN_STATES, RunState } from '@testpulse/contracts';
import { RunSummary } from '@testpulse/domain';

/** One test run. `_id` is `project|runId`: the client's runId is the idempotency key. */
@Schema({ collection: 'runs', versionKey: false })
export class Run {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) project: string;
  @Prop({ required: true }) runId: string;
  @Prop() name?: string;
  @Prop() branch?: string;
  @Prop() commit?: string;
  @Prop() environment?: string;
  @Prop({ type: String, required: true, enum: RUN_STATES }) status: RunState;
  @Prop({ type: String, required: true, enum: ['stream', 'one-shot'] }) mode: 'stream' | 'one-shot';
  @Prop({ type: String, required: true, enum: INGEST_FORMATS }) source: IngestFormat;
  @Prop() contentHash?: string;
  /** False until the run is finished and its rollups applied. */
  @Prop({ required: true }) complete: boolean;
  @Prop({ required: true }) startedAt: Date;
  @Prop() finishedAt?: Date;
  @Prop({ required: true }) lastActivityAt: Date;
  /** UTC day of startedAt (YYYY-MM-DD): the rollup bucket of the run. */
  @Prop({ required: true }) day: string;
  /** Counts while results arrive (best effort); `summary` is exact once finished. */
  @Prop({ type: Object, required: true }) live: RunSummary;
  @Prop({ type: Object }) summary?: RunSummary;
  /** Next number for batches sent without one. */
  @Prop({ required: true, default: 0 }) nextBatch: number;
  /** Keys of the run's batches, in the order they first arrived (see ResultBatch). */
  @Prop({ type: [String], default: [] }) batches: string[];
}

export const RunSchema = SchemaFactory.createForClass(Run);
RunSchema.index({ project: 1, startedAt: -1 });
RunSchema.index({ status: 1 });

export const runKey = (project: string, runId: string): string => `${project}|${runId}`;
