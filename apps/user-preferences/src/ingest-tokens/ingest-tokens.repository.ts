import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { Project } from '../projects/schemas/project.schema';
import { IngestToken } from './schemas/ingest-token.schema';

export interface IngestTokenRecord {
  id: string;
  project: string;
  name: string;
  secretHash: string;
  createdBy: string;
  createdAt: Date;
  expiresAt?: Date;
  lastUsedAt?: Date;
  revokedAt?: Date;
  revokedBy?: string;
}

const toRecord = (doc: IngestToken): IngestTokenRecord => ({
  id: doc._id,
  project: doc.project,
  name: doc.name,
  secretHash: doc.secretSha256,
  createdBy: doc.createdBy,
  createdAt: doc.createdAt,
  ...(doc.expiresAt ? { expiresAt: doc.expiresAt } : {}),
  ...(doc.lastUsedAt ? { lastUsedAt: doc.lastUsedAt } : {}),
  ...(doc.revokedAt ? { revokedAt: doc.revokedAt } : {}),
  ...(doc.revokedBy ? { revokedBy: doc.revokedBy } : {}),
});

@Injectable()
export class IngestTokensRepository {
  constructor(
    @InjectModel(IngestToken.name) private readonly tokens: Model<IngestToken>,
    @InjectModel(Project.name) private readonly projects: Model<Project>,
  ) {}

  /** Inserts a new token; false when the id is taken. */
  async insert(token: IngestTokenRecord): Promise<boolean> {
    const { id, secretHash, ...fields } = token;
    const result = await this.tokens
      .updateOne({ _id: id }, { $setOnInsert: { ...fields, secretSha256: secretHash } }, { upsert: true })
      .exec();
    return result.upsertedCount === 1;
  }

  async findById(id: string): Promise<IngestTokenRecord | null> {
    const doc = await this.tokens.findById(id).lean<IngestToken>().exec();
    return doc ? toRecord(doc) : null;
  }

  /** A page of the tokens of a project, newest first. */
  async page(
    project: string,
    skip: number,
    limit: number,
  ): Promise<{ items: IngestTokenRecord[]; total: number }> {
    const filter = { project };
    const [docs, total] = await Promise.all([
      this.tokens
        .find(filter)
        .sort({ createdAt: -1, _id: 1 })
        .skip(skip)
        .limit(limit)
        .lean<IngestToken[]>()
        .exec(),
      this.tokens.countDocuments(filter).exec(),
    ]);
    return { items: docs.map(toRecord), total };
  }

  /** Idempotent: a token revoked twice keeps the first time. */
  async revoke(id: string, at: Date, by: string): Promise<void> {
    await this.tokens.updateOne({ _id: id }, { $min: { revokedAt: at }, $set: { revokedBy: by } }).exec();
  }

  /** Records a use; never moves `lastUsedAt` back. */
  async touch(id: string, at: Date): Promise<void> {
    await this.tokens.updateOne({ _id: id }, { $max: { lastUsedAt: at } }).exec();
  }

  /** When the project was created; null when it does not exist. */
  async projectCreatedAt(key: string): Promise<Date | null> {
    const doc = await this.projects.findById(key, { createdAt: 1 }).lean<Pick<Project, 'createdAt'>>().exec();
    return doc?.createdAt ?? null;
  }
}
