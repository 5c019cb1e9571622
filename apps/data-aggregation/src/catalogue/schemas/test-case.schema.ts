import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { ResultStatus } from '@testpulse/domain';

/** The test catalogue: one document per test (`_id` = testId), first and last seen, last outcome. */
@Schema({ collection: 'tests', versionKey: false })
export class TestCase {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) project: string;
  @Prop({ required: true }) suite: string;
  @Prop({ required: true }) name: string;
  @Prop() file?: string;
  @Prop({ required: true }) firstSeen: Date;
  @Prop({ required: true }) lastSeen: Date;
  @Prop({ type: String }) lastStatus?: ResultStatus;
  /** The run that set lastStatus, and the status before it (so a resumed finalisation sees the same flips). */
  @Prop() lastRunKey?: string;
  @Prop({ type: String }) previousStatus?: ResultStatus;
}

export const TestCaseSchema = SchemaFactory.createForClass(TestCase);
TestCaseSchema.index({ project: 1 });
