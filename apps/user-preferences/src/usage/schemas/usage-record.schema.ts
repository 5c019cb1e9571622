import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * How often one user opened one thing (an analysis or a report with its parameters). `_id` hashes
 * user, kind and parameters; `key` hashes kind and parameters, the same for every user.
 */
@Schema({ collection: 'usage_records', versionKey: false })
export class UsageRecord {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true })
  key: string;

  @Prop({ required: true })
  user: string;

  @Prop({ required: true })
  kind: string;

  @Prop({ type: [String], required: true })
  projects: string[];

  /** The parameters as canonical JSON (kept as a string: user-supplied keys never become field names). */
  @Prop({ required: true })
  params: string;

  @Prop({ required: true })
  count: number;

  @Prop({ required: true })
  lastAt: Date;
}

export const UsageRecordSchema = SchemaFactory.createForClass(UsageRecord);
UsageRecordSchema.index({ key: 1 });
UsageRecordSchema.index({ projects: 1 });
