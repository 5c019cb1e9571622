import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** What the catalogue knows of one test. */
export interface CatalogueEntry {
  suite: string;
  name: string;
  file?: string;
  /** Start of the first run that had the test. */
  firstSeen: Date;
  firstRunId: string;
  /** The test's number in its project (0, 1, 2...: one per test), which packed run states use. */
  ordinal: number;
}

/**
 * The test catalogue, in insert-only pages: a page holds tests first stored together (the new tests of
 * one appended batch, or a merge of older pages), as one JSON string of
 * `[testId, suite, name, file | null, firstSeen ms, firstRunId, ordinal]` rows (testId is a hash of project,
 * suite, name and file). Tests' later history is in the packed per-run outcomes (`run_outcomes`).
 *
 * Why pages, and why one string: a project's tests must be read with a few `_id` lookups. On the local
 * default (FerretDB 1.24, SQLite) any other filter, such as `{project}` over one document per test,
 * scans the collection (2–3 s for 12,000 tests while a 1M-result benchmark ran), and a document with
 * one field per test is slow to decode (0.4 s for 5,000 fields) while one string of the same content
 * reads in milliseconds.
 */
@Schema({ collection: 'catalogue_pages', versionKey: false })
export class CataloguePage {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) project: string;
  @Prop({ required: true }) tests: string;
}

export const CataloguePageSchema = SchemaFactory.createForClass(CataloguePage);

/**
 * A project's pages (`_id` = project). `pages` only grows (`$addToSet`); `merged` is a page holding
 * every test of the pages listed in `covers`, which readers then skip. `next` is the ordinal the next
 * new test gets (written under the project's catalogue lease, with the page).
 */
@Schema({ collection: 'catalogue_index', versionKey: false })
export class CatalogueIndex {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ type: [String], required: true }) pages: string[];
  @Prop() merged?: string;
  @Prop({ type: [String] }) covers?: string[];
  @Prop({ required: true }) next: number;
}

export const CatalogueIndexSchema = SchemaFactory.createForClass(CatalogueIndex);
