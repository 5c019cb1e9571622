import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * The manifest of one stored batch of results (`_id` = `project|runId|batchKey`), written right after
 * the batch's results: their outcomes packed (see `packOutcomes` in libs/domain) and their suites, in
 * the batch's order. Names are not repeated here: the catalogue holds them (written at append). A run's finalisation and its drill-down read the run's
 * manifests by `_id` (the run lists its batch keys) instead of querying `results` by run, which the
 * local default (FerretDB, SQLite) answers only by scanning the whole collection. Deleted with the
 * raw results by retention.
 */
@Schema({ collection: 'result_batches', versionKey: false })
export class ResultBatch {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) project: string;
  @Prop({ required: true }) runId: string;
  @Prop({ required: true }) batch: string;
  /** UTC day of the run: retention deletes by it. */
  @Prop({ required: true }) day: string;
  @Prop({ required: true }) count: number;
  @Prop({ type: Buffer, required: true }) outcomes: Buffer;
  @Prop({ type: Buffer, required: true }) failures: Buffer;
  /** The batch's distinct suites. */
  @Prop({ type: [String], required: true }) suites: string[];
  /** Per result, the index of its suite in `suites` (uint16 little-endian). */
  @Prop({ type: Buffer, required: true }) suiteOf: Buffer;
}

export const ResultBatchSchema = SchemaFactory.createForClass(ResultBatch);
ResultBatchSchema.index({ project: 1, day: 1 });

export const resultBatchId = (project: string, runId: string, batch: string): string =>
  `${project}|${runId}|${batch}`;

/** `_id` of the `index`-th result of a batch (see StoredResult). */
export const storedResultId = (project: string, runId: string, batch: string, index: number): string =>
  `${project}|${runId}|${batch}|${index}`;
