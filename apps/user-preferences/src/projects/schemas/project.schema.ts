import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** The project key is the `_id`: every other service refers to projects by it. */
@Schema({ collection: 'projects', versionKey: false })
export class Project {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true })
  name: string;

  @Prop({ required: true })
  createdAt: Date;

  @Prop({ required: true })
  createdBy: string;
}

export const ProjectSchema = SchemaFactory.createForClass(Project);
