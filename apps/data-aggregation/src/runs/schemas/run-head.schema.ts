import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** A run in a head: enough to order it and to look it up by `_id`. */
export interface RunHeadEntry {
  runId: string;
  startedAt: Date;
}

/**
 * The newest runs of a project (`_id` `project`), or of one branch of it (`project|branch`): their
 * ids and start times, added when a run is created (`$addToSet`) and cut back to the newest
 * RUN_HEAD_KEPT now and then. The latest runs are then one `_id` lookup and a lookup per run shown,
 * where `find({project}).sort({startedAt: -1})` reads every run the project ever had on FerretDB
 * (it pushes down `_id` equality only), and runs are never deleted.
 */
@Schema({ collection: 'run_heads', versionKey: false })
export class RunHead {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) project: string;
  @Prop() branch?: string;
  @Prop({ type: [Object], required: true }) runs: RunHeadEntry[];
  /** Counts the additions: a cut applies only to the list it was computed from. */
  @Prop({ required: true }) rev: number;
}

export const RunHeadSchema = SchemaFactory.createForClass(RunHead);

/** The `_id` of the head of a project, or of one of its branches (a project key holds no `|`). */
export const runHeadId = (project: string, branch?: string): string =>
  branch === undefined ? project : `${project}|${branch}`;

/** Marks that every run stored before heads existed has been added to them (by the backfill). */
@Schema({ collection: 'run_head_marks', versionKey: false })
export class RunHeadMark {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) completedAt: Date;
}

export const RunHeadMarkSchema = SchemaFactory.createForClass(RunHeadMark);

/** The `_id` of the mark that the heads hold every run. */
export const RUN_HEADS_COMPLETE = 'complete';
