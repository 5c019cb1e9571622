import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { randomBytes } from 'node:crypto';
import { Model } from 'mongoose';
import { findByIds } from '../storage/by-id';
import { insertNew } from '../storage/insert-new';
import { CatalogueEntry, CatalogueIndex, CataloguePage } from './schemas/catalogue-page.schema';

/** A test as the catalogue lists it. */
export interface CatalogueTest extends CatalogueEntry {
  testId: string;
}

/** testIds remembered as stored, over all projects; past this many the memory starts again. */
const KNOWN_LIMIT = 500_000;
/** A read that finds more pages than this not yet merged writes one page holding them all. */
export const MERGE_AFTER_PAGES = 32;
/** One document per test, as stored before the pages; read once per project to move it into pages. */
const LEGACY_COLLECTION = 'test_catalogue';

type PageRow = [string, string, string, string | null, number, string];

export function encodePage(tests: readonly CatalogueTest[]): string {
  return JSON.stringify(
    tests.map((t): PageRow => [
      t.testId,
      t.suite,
      t.name,
      t.file ?? null,
      t.firstSeen.getTime(),
      t.firstRunId,
    ]),
  );
}

/** The page's tests merged into `into`, keeping each test's earliest sighting. */
export function mergePage(into: Map<string, CatalogueEntry>, tests: string): void {
  for (const [testId, suite, name, file, firstSeen, firstRunId] of JSON.parse(tests) as PageRow[]) {
    const seen = into.get(testId);
    if (seen && seen.firstSeen.getTime() <= firstSeen) continue;
    into.set(testId, {
      suite,
      name,
      ...(file !== null ? { file } : {}),
      firstSeen: new Date(firstSeen),
      firstRunId,
    });
  }
}

@Injectable()
export class CatalogueRepository {
  private readonly logger = new Logger(CatalogueRepository.name);
  /**
   * testIds known to be in the catalogue, by project, loaded from the pages when a project is first
   * written here. The catalogue only grows, so a test once stored stays stored: it is not paged again.
   */
  private readonly known = new Map<string, Promise<Set<string>>>();
  private knownCount = 0;

  constructor(
    @InjectModel(CataloguePage.name) private readonly pages: Model<CataloguePage>,
    @InjectModel(CatalogueIndex.name) private readonly indexes: Model<CatalogueIndex>,
  ) {}

  /** Every test of a project: its index, then its pages, all by `_id`. */
  async ofProject(project: string): Promise<CatalogueTest[]> {
    const entries = await this.load(project);
    return [...entries].map(([testId, entry]) => ({ testId, ...entry }));
  }

  /**
   * Pages the tests not known to be in the project's catalogue (`pageKey` names the batch they came
   * with); returns how many that was. Idempotent: a test paged twice keeps its earliest sighting.
   */
  async addNew(project: string, pageKey: string, tests: CatalogueTest[]): Promise<number> {
    const known = await this.knownOf(project);
    const unknown = [...new Map(tests.map((test) => [test.testId, test])).values()].filter(
      (test) => !known.has(test.testId),
    );
    if (unknown.length === 0) return 0;
    await this.write(project, `${project}|${pageKey}`, unknown);
    if (this.knownCount + unknown.length > KNOWN_LIMIT) {
      this.known.clear();
      this.knownCount = 0;
    } else {
      for (const test of unknown) known.add(test.testId);
      this.knownCount += unknown.length;
    }
    return unknown.length;
  }

  /**
   * Inserts the page, then lists it in the index. A page of that id stored already (a retry) may hold
   * other tests, so the page goes in under a fresh id instead. A crash between the two writes leaves a
   * page nobody reads, and the batch's retry pages the tests again.
   */
  private async write(project: string, pageId: string, tests: readonly CatalogueTest[]): Promise<string> {
    const page = { project, tests: encodePage(tests) };
    let id = pageId;
    if ((await insertNew(this.pages, [{ _id: id, ...page }])).length === 0) {
      id = `${pageId}|${randomBytes(6).toString('hex')}`;
      await this.pages.collection.insertOne({ _id: id, ...page } as never);
    }
    await insertNew(this.indexes, [{ _id: project, pages: [] }]);
    await this.indexes.collection.updateOne({ _id: project } as never, { $addToSet: { pages: id } });
    return id;
  }

  private knownOf(project: string): Promise<Set<string>> {
    let pending = this.known.get(project);
    if (!pending) {
      pending = this.load(project).then((entries) => {
        this.knownCount += entries.size;
        return new Set(entries.keys());
      });
      pending.catch(() => this.known.delete(project));
      this.known.set(project, pending);
    }
    return pending;
  }

  private async load(project: string): Promise<Map<string, CatalogueEntry>> {
    const [index] = await findByIds(this.indexes, [project]);
    if (!index) return this.moveLegacy(project);
    const covered = new Set(index.covers ?? []);
    const unmerged = index.pages.filter((id) => !covered.has(id));
    const ids = index.merged ? [index.merged, ...unmerged] : unmerged;
    const entries = new Map<string, CatalogueEntry>();
    for (const page of await findByIds(this.pages, ids)) if (page) mergePage(entries, page.tests);
    if (unmerged.length > MERGE_AFTER_PAGES) await this.merge(project, entries, [...covered, ...unmerged]);
    return entries;
  }

  /**
   * Writes one page holding every test read, and points the index at it in one `$set`: pages listed
   * after the read are not in `covers`, so they stay read. Two merges at once: the last one stands.
   */
  private async merge(
    project: string,
    entries: Map<string, CatalogueEntry>,
    covers: string[],
  ): Promise<void> {
    const id = `${project}|merged|${Date.now()}|${randomBytes(6).toString('hex')}`;
    const tests = [...entries].map(([testId, entry]) => ({ testId, ...entry }));
    await this.pages.collection.insertOne({ _id: id, project, tests: encodePage(tests) } as never);
    await this.indexes.collection.updateOne({ _id: project } as never, { $set: { merged: id, covers } });
  }

  /**
   * A project stored before the pages existed has one document per test in `test_catalogue`: they are
   * read once (a scan) and written as one page, after which the index answers.
   */
  private async moveLegacy(project: string): Promise<Map<string, CatalogueEntry>> {
    const legacy = await this.pages.db
      .collection(LEGACY_COLLECTION)
      .find({ project })
      .toArray()
      .catch(() => []);
    const tests: CatalogueTest[] = legacy.map((doc) => ({
      testId: String(doc._id),
      suite: doc.suite,
      name: doc.name,
      ...(doc.file ? { file: doc.file } : {}),
      firstSeen: new Date(doc.firstSeen),
      firstRunId: doc.firstRunId,
    }));
    if (tests.length > 0) {
      await this.write(project, `${project}|${LEGACY_COLLECTION}`, tests);
      this.logger.log(`moved ${tests.length} tests of '${project}' from ${LEGACY_COLLECTION} into a page`);
    }
    return new Map(tests.map(({ testId, ...entry }) => [testId, entry]));
  }
}
