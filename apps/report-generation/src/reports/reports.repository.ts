import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { Report } from './schemas/report.schema';

/** Generated reports: inserted once, read by `_id`. */
@Injectable()
export class ReportsRepository {
  constructor(@InjectModel(Report.name) private readonly reports: Model<Report>) {}

  async insert(report: Report): Promise<void> {
    await this.reports.insertMany([report]);
  }

  async find(id: string): Promise<Report | null> {
    return this.reports.findById(id).lean<Report>().exec();
  }
}
