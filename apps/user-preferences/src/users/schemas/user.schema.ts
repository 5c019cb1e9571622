import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { ROLES, Role } from '@testpulse/contracts';

@Schema({ collection: 'users', versionKey: false })
export class User {
  /** The username is the key: logins are equality lookups. */
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true })
  passwordHash: string;

  @Prop({ type: String, required: true, enum: ROLES })
  role: Role;

  @Prop({ required: true })
  createdAt: Date;
}

export const UserSchema = SchemaFactory.createForClass(User);
UserSchema.index({ role: 1 });
