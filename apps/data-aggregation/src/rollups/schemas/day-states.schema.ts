import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { RunState } from '@testpulse/contracts';
import { RunSummary } from '@testpulse/domain';

/** One finished run in its day's states document. */
export interface DayRunStates {
  runId: string;
  startedAt: Date;
  finishedAt?: Date;
  status: RunState;
  branch?: string;
  commit?: string;
  environment?: string;
  summary: RunSummary;
  /** Executions in the run, and how many failed or errored (outage detection). */
  runTests: number;
  runFailing: number;
  /** `packStates` (libs/domain): status, retry-pass flag and fingerprint by catalogue ordinal. */
  states: Buffer;
  failures: Buffer;
  /**
   * One stored result per failure fingerprint of the run, for examples: `fingerprint batch|index`
   * lines (the result's `_id` without its `project|runId|`), as one string, which FerretDB reads far
   * faster than arrays.
   */
  examples: string;
}

/**
 * The test states of a project's finished runs, by UTC day: what flakiness, failure clusters and
 * run listings read. Run-length encoded states take about 2 KB for a run of 5,000 tests, so a day of
 * a project fits one document and 30 days are 30 `_id` lookups; one document per run took 130 lookups (each about 1 ms of FerretDB's time)
 * for the same month. A run is pushed once (under its finalisation lease, after checking it is not
 * there); a document past MAX_DAY_STATES_BYTES is closed (`next`) and the day goes on in chunk + 1.
 */
@Schema({ collection: 'day_states', versionKey: false })
export class DayStates {
  /** `project|day|chunk`. */
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) project: string;
  @Prop({ required: true }) day: string;
  @Prop({ required: true }) chunk: number;
  @Prop({ type: [Object], required: true }) runs: DayRunStates[];
  /** Packed bytes of the runs pushed so far. */
  @Prop({ required: true }) bytes: number;
  /** Closed: the day goes on in the next chunk. */
  @Prop() next?: boolean;
}

export const DayStatesSchema = SchemaFactory.createForClass(DayStates);

export const dayStatesId = (project: string, day: string, chunk: number): string =>
  `${project}|${day}|${chunk}`;

/** A chunk takes runs until its packed bytes pass this (well below MongoDB's 16 MB per document). */
export const MAX_DAY_STATES_BYTES = 4 * 1024 * 1024;
