import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * A project ingest token. `_id` is the public token id, so verification is one equality lookup; only a
 * SHA-256 hash of the secret is kept.
 */
@Schema({ collection: 'ingest_tokens', versionKey: false })
export class IngestToken {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  project: string;

  @Prop({ type: String, required: true })
  name: string;

  @Prop({ type: String, required: true })
  secretSha256: string;

  @Prop({ type: String, required: true })
  createdBy: string;

  @Prop({ type: Date, required: true })
  createdAt: Date;

  @Prop({ type: Date })
  expiresAt?: Date;

  @Prop({ type: Date })
  lastUsedAt?: Date;

  @Prop({ type: Date })
  revokedAt?: Date;

  @Prop({ type: String })
  revokedBy?: string;
}

export const IngestTokenSchema = SchemaFactory.createForClass(IngestToken);
IngestTokenSchema.index({ project: 1 });
