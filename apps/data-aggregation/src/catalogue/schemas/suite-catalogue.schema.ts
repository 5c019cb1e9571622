import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { ResultStatus } from '@testpulse/domain';

/** What the catalogue knows of one test. */
export interface CatalogueEntry {
  name: string;
  file?: string;
  firstSeen: Date;
  lastSeen: Date;
  lastStatus?: ResultStatus;
  /** The run that set lastStatus, and the status before it (so a resumed finalisation sees the same flips). */
  lastRunKey?: string;
  previousStatus?: ResultStatus;
}

/**
 * The test catalogue, one document per suite (`_id` = `project|suite`) with its tests under
 * `tests.<testId>`: a run updates one document per suite, and a test is found by equality.
 */
@Schema({ collection: 'test_catalogue', versionKey: false, minimize: false })
export class SuiteCatalogue {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) project: string;
  @Prop({ required: true }) suite: string;
  @Prop({ type: Object, default: {} }) tests: Record<string, CatalogueEntry>;
}

export const SuiteCatalogueSchema = SchemaFactory.createForClass(SuiteCatalogue);
SuiteCatalogueSchema.index({ project: 1 });

export const suiteCatalogueId = (project: string, suite: string): string => `${project}|${suite}`;
