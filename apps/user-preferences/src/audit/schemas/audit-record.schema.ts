import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** One mutating request through the gateway. `_id` is the correlation id, so a redelivery is a no-op. */
@Schema({ collection: 'audit_records', versionKey: false })
export class AuditRecord {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, default: null })
  username: string | null;

  @Prop({ type: String, default: null })
  role: string | null;

  @Prop({ required: true })
  method: string;

  @Prop({ required: true })
  route: string;

  @Prop({ required: true })
  path: string;

  @Prop({ required: true })
  status: number;

  @Prop({ required: true })
  durationMs: number;

  @Prop({ required: true })
  at: Date;
}

export const AuditRecordSchema = SchemaFactory.createForClass(AuditRecord);
AuditRecordSchema.index({ at: -1 });
AuditRecordSchema.index({ username: 1, at: -1 });
