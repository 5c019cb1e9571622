import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { RESULT_STATUSES, ResultStatus } from '@testpulse/domain';

/**
 * One test execution. `_id` is `project|runId|batch|index`: the same batch stored twice is the
 * same documents, so retries never double-count.
 */
@Schema({ collection: 'results', versionKey: false })
export class StoredResult {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) project: string;
  @Prop({ required: true }) runId: string;
  @Prop({ required: true }) testId: string;
  @Prop({ required: true }) suite: string;
  @Prop({ required: true }) name: string;
  @Prop() file?: string;
  @Prop({ type: String, required: true, enum: RESULT_STATUSES }) status: ResultStatus;
  @Prop({ required: true }) flaky: boolean;
  @Prop({ required: true }) durationMs: number;
  @Prop({ type: [Object], default: [] }) attempts: Array<{
    status: ResultStatus;
    durationMs: number;
    message?: string;
  }>;
  @Prop({ type: Object }) error?: { type?: string; message?: string; stack?: string };
  /** Failure fingerprint (normalised message + top frames), for clustering. */
  @Prop() fingerprint?: string;
  @Prop({ type: [String], default: [] }) tags: string[];
  @Prop() systemOut?: string;
  @Prop() systemErr?: string;
  @Prop() branch?: string;
  @Prop() commit?: string;
  /** UTC day of the run: retention deletes by it. */
  @Prop({ required: true }) day: string;
  @Prop({ required: true }) at: Date;
}

export const StoredResultSchema = SchemaFactory.createForClass(StoredResult);
// A run's results are found through its batch manifests (ResultBatch), by `_id`: no index by run.
// By test: a test's history of raw results. By day: retention.
StoredResultSchema.index({ testId: 1 });
StoredResultSchema.index({ project: 1, day: 1 });
