import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { insertNew } from '../storage/insert-new';
import { CatalogueTest } from './schemas/catalogue-test.schema';

@Injectable()
export class CatalogueRepository {
  constructor(@InjectModel(CatalogueTest.name) private readonly tests: Model<CatalogueTest>) {}

  /** Adds the tests not seen before; returns how many were new. Idempotent. */
  async addNew(tests: CatalogueTest[]): Promise<number> {
    return (await insertNew(this.tests, tests)).length;
  }
}
