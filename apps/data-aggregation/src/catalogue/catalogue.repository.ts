import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { insertNew } from '../storage/insert-new';
import { CatalogueTest } from './schemas/catalogue-test.schema';

/** testIds remembered as stored; past this many the memory starts again (it is only a shortcut). */
const KNOWN_LIMIT = 500_000;

@Injectable()
export class CatalogueRepository {
  /**
   * Tests known to be in the catalogue. The catalogue is insert-only, so a test once stored stays
   * stored: sending it again is skipped instead of costing a refused insert per test and run.
   */
  private readonly known = new Set<string>();

  constructor(@InjectModel(CatalogueTest.name) private readonly tests: Model<CatalogueTest>) {}

  /**
   * Every test of a project. A filter on `project` is answered by a scan of the collection on
   * FerretDB (tests of every project: thousands, not millions, of small documents).
   */
  async ofProject(project: string): Promise<CatalogueTest[]> {
    return this.tests.find({ project }).lean<CatalogueTest[]>().exec();
  }

  /** Adds the tests not seen before; returns how many were new. Idempotent. */
  async addNew(tests: CatalogueTest[]): Promise<number> {
    const unknown = [...new Map(tests.map((test) => [test._id, test])).values()].filter(
      (test) => !this.known.has(test._id),
    );
    const inserted = await insertNew(this.tests, unknown);
    if (this.known.size + unknown.length > KNOWN_LIMIT) this.known.clear();
    for (const test of unknown) this.known.add(test._id);
    return inserted.length;
  }
}
