import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** One document per (project, user): `_id` is `project|username`, so access checks are equality lookups. */
@Schema({ collection: 'project_memberships', versionKey: false })
export class Membership {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true })
  project: string;

  @Prop({ required: true })
  username: string;

  @Prop({ required: true })
  addedAt: Date;

  @Prop({ required: true })
  addedBy: string;
}

export const MembershipSchema = SchemaFactory.createForClass(Membership);
MembershipSchema.index({ username: 1 });
MembershipSchema.index({ project: 1 });

export const membershipId = (project: string, username: string): string => `${project}|${username}`;
