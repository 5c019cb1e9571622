import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { AuditRecord } from './schemas/audit-record.schema';

export interface AuditEntry {
  correlationId: string;
  username: string | null;
  role: string | null;
  method: string;
  route: string;
  path: string;
  status: number;
  durationMs: number;
  at: Date;
}

const toEntry = ({ _id, username, role, ...rest }: AuditRecord): AuditEntry => ({
  correlationId: _id,
  username: username ?? null,
  role: role ?? null,
  ...rest,
});

@Injectable()
export class AuditRepository {
  constructor(@InjectModel(AuditRecord.name) private readonly records: Model<AuditRecord>) {}

  async record(entry: AuditEntry): Promise<void> {
    const { correlationId, ...fields } = entry;
    await this.records.updateOne({ _id: correlationId }, { $setOnInsert: fields }, { upsert: true }).exec();
  }

  async page(
    skip: number,
    limit: number,
    username?: string,
  ): Promise<{ items: AuditEntry[]; total: number }> {
    const filter = username ? { username } : {};
    const [docs, total] = await Promise.all([
      this.records.find(filter).sort({ at: -1, _id: 1 }).skip(skip).limit(limit).lean<AuditRecord[]>().exec(),
      this.records.countDocuments(filter).exec(),
    ]);
    return { items: docs.map(toEntry), total };
  }
}
