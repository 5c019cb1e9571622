import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** A project's retention of raw results; `_id` is the project key. */
@Schema({ collection: 'retention_policies', versionKey: false })
export class RetentionPolicy {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) rawResultDays: number;
}

export const RetentionPolicySchema = SchemaFactory.createForClass(RetentionPolicy);
