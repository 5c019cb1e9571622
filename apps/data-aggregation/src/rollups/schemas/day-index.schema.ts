import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * What a project's day holds besides its counts: the suites that have a bucket that day and the
 * fingerprints of the day's failures, both only growing (`$addToSet`). Kept apart from the project
 * bucket so that the bucket, which every trend, score and run listing reads, stays small: FerretDB
 * decodes a whole document for every lookup, and these lists were nine tenths of a bucket.
 */
@Schema({ collection: 'day_index', versionKey: false })
export class DayIndex {
  /** `project|day`. */
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) project: string;
  @Prop({ required: true }) day: string;
  @Prop({ type: [String], required: true }) suites: string[];
  @Prop({ type: [String], required: true }) fingerprints: string[];
}

export const DayIndexSchema = SchemaFactory.createForClass(DayIndex);

export const dayIndexId = (project: string, day: string): string => `${project}|${day}`;
