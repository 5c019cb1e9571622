import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { RetentionPolicy } from './schemas/retention-policy.schema';

@Injectable()
export class RetentionRepository {
  constructor(@InjectModel(RetentionPolicy.name) private readonly policies: Model<RetentionPolicy>) {}

  async find(project: string): Promise<number | undefined> {
    return (await this.policies.findById(project).lean<RetentionPolicy>().exec())?.rawResultDays;
  }

  async set(project: string, rawResultDays: number): Promise<void> {
    await this.policies.updateOne({ _id: project }, { $set: { rawResultDays } }, { upsert: true }).exec();
  }
}
