import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * The test catalogue: one document per test (`_id` = testId, a hash of project, suite, name and
 * file), written once when the test is first seen. Its later history (last seen, last status) is
 * in the packed per-run outcomes (`run_outcomes`): documents here are never updated, because on the
 * Mongo-compatible server used locally (FerretDB) updates cost far more than inserts.
 */
@Schema({ collection: 'test_catalogue', versionKey: false })
export class CatalogueTest {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) project: string;
  @Prop({ required: true }) suite: string;
  @Prop({ required: true }) name: string;
  @Prop() file?: string;
  @Prop({ required: true }) firstSeen: Date;
  @Prop({ required: true }) firstRunId: string;
}

export const CatalogueTestSchema = SchemaFactory.createForClass(CatalogueTest);
CatalogueTestSchema.index({ project: 1, suite: 1 });
