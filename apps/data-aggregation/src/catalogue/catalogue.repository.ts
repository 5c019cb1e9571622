import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { randomBytes } from 'node:crypto';
import { Model } from 'mongoose';
import { findByIds } from '../storage/by-id';
import { insertNew } from '../storage/insert-new';
import { Leases } from '../storage/leases';
import { CatalogueEntry, CatalogueIndex, CataloguePage } from './schemas/catalogue-page.schema';

/** A test as the catalogue lists it. */
export interface CatalogueTest extends CatalogueEntry {
  testId: string;
}

/** A test not paged yet: the catalogue numbers it. */
export type NewTest = Omit<CatalogueTest, 'ordinal'>;

/** Tests remembered as stored, over all projects; past this many the memory starts again. */
const KNOWN_LIMIT = 500_000;
/** Rows of pages kept decoded in memory (pages never change once written), over all projects. */
const PAGE_MEMORY_ROWS = 200_000;
/** A read that finds more pages than this not yet merged writes one page holding them all. */
export const MERGE_AFTER_PAGES = 32;
/** One document per test, as stored before the pages; read once per project to move it into pages. */
const LEGACY_COLLECTION = 'test_catalogue';

export type PageRow = [string, string, string, string | null, number, string, number];

export function encodePage(tests: readonly CatalogueTest[]): string {
  return JSON.stringify(
    tests.map((t): PageRow => [
      t.testId,
      t.suite,
      t.name,
      t.file ?? null,
      t.firstSeen.getTime(),
      t.firstRunId,
      t.ordinal,
    ]),
  );
}

/** The rows of a page. */
export const decodePage = (tests: string): PageRow[] => JSON.parse(tests) as PageRow[];

/** The page's tests added to `into` (a test is paged once, so its first row stands). */
export function mergePage(into: Map<string, CatalogueEntry>, rows: readonly PageRow[]): void {
  for (const [testId, suite, name, file, firstSeen, firstRunId, ordinal] of rows) {
    if (into.has(testId)) continue;
    into.set(testId, {
      suite,
      name,
      ...(file !== null ? { file } : {}),
      firstSeen: new Date(firstSeen),
      firstRunId,
      ordinal,
    });
  }
}

interface Loaded {
  index: CatalogueIndex | null;
  entries: Map<string, CatalogueEntry>;
}

@Injectable()
export class CatalogueRepository {
  private readonly logger = new Logger(CatalogueRepository.name);
  /**
   * The ordinals of tests known to be in the catalogue, by project, loaded from the pages when a
   * project is first written here. The catalogue only grows, so a test once stored stays stored.
   */
  private readonly known = new Map<string, Promise<Map<string, number>>>();
  private knownCount = 0;
  /**
   * Decoded pages by `_id`, least recently read first. A page is insert-only (its `_id` always names
   * the same rows), so a page read before is not read again; the index, which grows, always is.
   */
  private readonly pageMemory = new Map<string, PageRow[]>();
  /** Each project's entries as last merged from its pages (read-only), with the pages they came from. */
  private readonly lastRead = new Map<string, { pages: string; entries: Map<string, CatalogueEntry> }>();
  private pageMemoryRows = 0;

  constructor(
    @InjectModel(CataloguePage.name) private readonly pages: Model<CataloguePage>,
    @InjectModel(CatalogueIndex.name) private readonly indexes: Model<CatalogueIndex>,
    private readonly leases: Leases,
  ) {}

  /** Every test of a project: its index, then its pages, all by `_id`. */
  ofProject(project: string): Promise<CatalogueTest[]> {
    return this.list(project, false);
  }

  /** `leaseHeld`: the caller holds the project's catalogue lease. */
  private async list(project: string, leaseHeld: boolean): Promise<CatalogueTest[]> {
    const { index, entries } = await this.read(project);
    if (!index) return this.moveLegacy(project, leaseHeld);
    return [...entries].map(([testId, entry]) => ({ testId, ...entry }));
  }

  /**
   * Pages the tests not in the project's catalogue (`pageKey` names the batch they came with), each
   * with the next ordinal; returns how many that was. Under the project's catalogue lease, after
   * reading the pages again, so that a test is paged (and numbered) once across every replica.
   */
  async addNew(project: string, pageKey: string, tests: NewTest[]): Promise<number> {
    const candidates = await this.unknown(project, tests);
    if (candidates.length === 0) return 0;
    return this.leases.withCatalogue(project, async () => {
      const known = await this.refresh(project, true);
      const unknown = candidates.filter((test) => !known.has(test.testId));
      if (unknown.length === 0) return 0;
      const [index] = await findByIds(this.indexes, [project]);
      const next = index?.next ?? 0;
      const numbered = unknown.map((test, i) => ({ ...test, ordinal: next + i }));
      await this.write(project, `${project}|${pageKey}`, numbered, next);
      this.remember(project, known, numbered);
      return numbered.length;
    });
  }

  /** The ordinals of these tests (those not in the catalogue are left out). */
  async ordinalsOf(project: string, testIds: readonly string[]): Promise<Map<string, number>> {
    let known = await this.knownOf(project);
    if (testIds.some((id) => !known.has(id))) known = await this.refresh(project);
    const ordinals = new Map<string, number>();
    for (const id of testIds) {
      const ordinal = known.get(id);
      if (ordinal !== undefined) ordinals.set(id, ordinal);
    }
    return ordinals;
  }

  private async unknown(project: string, tests: readonly NewTest[]): Promise<NewTest[]> {
    const known = await this.knownOf(project);
    return [...new Map(tests.map((test) => [test.testId, test])).values()].filter(
      (test) => !known.has(test.testId),
    );
  }

  private remember(project: string, known: Map<string, number>, tests: readonly CatalogueTest[]): void {
    if (this.knownCount + tests.length > KNOWN_LIMIT) {
      this.known.clear();
      this.knownCount = 0;
      return;
    }
    for (const test of tests) known.set(test.testId, test.ordinal);
    this.knownCount += tests.length;
  }

  /**
   * Inserts the page, then lists it in the index with the new `next`, in one update. A page of that id
   * stored already (a retry after a crash between the two) goes in again under a fresh id. A page the
   * index does not list is never read: its tests are paged again, with the same ordinals.
   */
  private async write(project: string, pageId: string, tests: readonly CatalogueTest[], next: number) {
    const page = { project, tests: encodePage(tests) };
    let id = pageId;
    if ((await insertNew(this.pages, [{ _id: id, ...page }])).length === 0) {
      id = `${pageId}|${randomBytes(6).toString('hex')}`;
      await this.pages.collection.insertOne({ _id: id, ...page } as never);
    }
    await insertNew(this.indexes, [{ _id: project, pages: [], next: 0 }]);
    await this.indexes.collection.updateOne({ _id: project } as never, {
      $addToSet: { pages: id },
      $set: { next: next + tests.length },
    });
  }

  private knownOf(project: string): Promise<Map<string, number>> {
    return this.known.get(project) ?? this.refresh(project);
  }

  /** Reads the project's catalogue again into the memory of known tests. */
  private refresh(project: string, leaseHeld = false): Promise<Map<string, number>> {
    const previous = this.known.get(project);
    const pending = this.list(project, leaseHeld).then(async (tests) => {
      const size = previous ? (await previous.catch(() => new Map())).size : 0;
      this.knownCount += tests.length - size;
      return new Map(tests.map((test) => [test.testId, test.ordinal]));
    });
    pending.catch(() => this.known.delete(project));
    this.known.set(project, pending);
    return pending;
  }

  private async read(project: string): Promise<Loaded> {
    const [index] = await findByIds(this.indexes, [project]);
    const entries = new Map<string, CatalogueEntry>();
    if (!index) return { index, entries };
    const covered = new Set(index.covers ?? []);
    const unmerged = index.pages.filter((id) => !covered.has(id));
    const ids = index.merged ? [index.merged, ...unmerged] : unmerged;
    // The same pages as the last read of the project: the same entries (pages never change).
    const pages = ids.join('\n');
    const last = this.lastRead.get(project);
    if (last?.pages === pages && unmerged.length <= MERGE_AFTER_PAGES)
      return { index, entries: last.entries };
    for (const rows of await this.pageRows(ids)) if (rows) mergePage(entries, rows);
    this.lastRead.set(project, { pages, entries });
    if (unmerged.length > MERGE_AFTER_PAGES) await this.merge(project, entries, [...covered, ...unmerged]);
    return { index, entries };
  }

  /** The rows of these pages, in order (`null` for a page not stored). */
  private async pageRows(ids: readonly string[]): Promise<Array<PageRow[] | null>> {
    const missing = ids.filter((id) => !this.pageMemory.has(id));
    const read = await findByIds(this.pages, missing);
    read.forEach((page, i) => {
      if (!page) return;
      const rows = decodePage(page.tests);
      this.pageMemory.set(missing[i], rows);
      this.pageMemoryRows += rows.length;
    });
    const found = ids.map((id) => {
      const rows = this.pageMemory.get(id);
      if (!rows) return null;
      this.pageMemory.delete(id);
      this.pageMemory.set(id, rows);
      return rows;
    });
    for (const [id, rows] of this.pageMemory) {
      if (this.pageMemoryRows <= PAGE_MEMORY_ROWS) break;
      this.pageMemory.delete(id);
      this.pageMemoryRows -= rows.length;
    }
    return found;
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
   * read once (a scan), numbered and written as one page, after which the index answers. A project
   * without any test has no index either: then this finds nothing and writes nothing.
   */
  private async moveLegacy(project: string, leaseHeld: boolean): Promise<CatalogueTest[]> {
    const legacy = await this.pages.db
      .collection(LEGACY_COLLECTION)
      .find({ project })
      .sort({ firstSeen: 1, _id: 1 })
      .toArray()
      .catch(() => []);
    if (legacy.length === 0) return [];
    const move = async () => {
      const { index, entries } = await this.read(project);
      if (index) return [...entries].map(([testId, entry]) => ({ testId, ...entry }));
      const tests: CatalogueTest[] = legacy.map((doc, ordinal) => ({
        testId: String(doc._id),
        suite: doc.suite,
        name: doc.name,
        ...(doc.file ? { file: doc.file } : {}),
        firstSeen: new Date(doc.firstSeen),
        firstRunId: doc.firstRunId,
        ordinal,
      }));
      await this.write(project, `${project}|${LEGACY_COLLECTION}`, tests, 0);
      this.logger.log(`moved ${tests.length} tests of '${project}' from ${LEGACY_COLLECTION} into a page`);
      return tests;
    };
    return leaseHeld ? move() : this.leases.withCatalogue(project, move);
  }
}
