import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * What a user saved of their preferences, by username. Only the fields they gave are kept; the
 * others come from the template of their role when read.
 */
@Schema({ collection: 'preferences', versionKey: false })
export class Preferences {
  @Prop({ type: String, required: true })
  _id: string;

  /** The saved fields (validated PreferencesInputDto), as plain JSON. */
  @Prop({ type: Object, required: true })
  values: Record<string, unknown>;

  @Prop({ required: true })
  updatedAt: Date;
}

export const PreferencesSchema = SchemaFactory.createForClass(Preferences);
