import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { ReportSectionView } from '@testpulse/contracts';

/**
 * A generated report, stored as built: `_id` is a UUID. Its sections are bounded (at most
 * REPORT_LIMITS.sectionItems rows each), so a document stays far below the 16 MB limit.
 */
@Schema({ collection: 'reports', versionKey: false, minimize: false })
export class Report {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) template: string;
  @Prop({ required: true }) title: string;
  @Prop({ type: Object, required: true }) filter: Record<string, unknown>;
  @Prop({ type: [String], required: true }) projects: string[];
  @Prop({ required: true }) createdBy: string;
  @Prop({ required: true }) createdAt: Date;
  /** When the body was computed (earlier than createdAt when it came from the cache). */
  @Prop() computedAt?: Date;
  @Prop({ type: Object }) window?: { from: string; to: string };
  @Prop({ type: [Object], default: [] }) sections: ReportSectionView[];
  @Prop({ type: [String], default: [] }) notes: string[];
}

export const ReportSchema = SchemaFactory.createForClass(Report);
