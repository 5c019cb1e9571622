import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { UsageKind, UsageRecordDto, UsageTopEntryView } from '@testpulse/contracts';
import { canonicalJson } from '@testpulse/cache';
import { Model } from 'mongoose';
import { createHash } from 'node:crypto';
import { UsageRecord } from './schemas/usage-record.schema';

const hash = (...parts: string[]): string =>
  createHash('sha256').update(parts.join('\n')).digest('base64url').slice(0, 32);

@Injectable()
export class UsageRepository {
  constructor(@InjectModel(UsageRecord.name) private readonly usage: Model<UsageRecord>) {}

  /** Adds the counts, one upsert per user and thing, in one round trip. */
  async add(records: readonly UsageRecordDto[]): Promise<void> {
    if (records.length === 0) return;
    await this.usage.bulkWrite(
      records.map((record) => {
        const params = canonicalJson(record.params);
        const key = hash(record.kind, params);
        return {
          updateOne: {
            filter: { _id: hash(record.user, key) },
            update: {
              $inc: { count: record.count },
              $max: { lastAt: new Date(record.at) },
              $setOnInsert: {
                key,
                user: record.user,
                kind: record.kind,
                projects: [...new Set(record.projects)].sort(),
                params,
              },
            },
            upsert: true,
          },
        };
      }),
      { ordered: false },
    );
  }

  /** The most used things, summed over users (or of one user), optionally of one project and some kinds. */
  async top(query: {
    project?: string;
    user?: string;
    kinds?: readonly string[];
    limit: number;
  }): Promise<UsageTopEntryView[]> {
    const match: Record<string, unknown> = {};
    if (query.project) match.projects = query.project;
    if (query.user) match.user = query.user;
    if (query.kinds?.length) match.kind = { $in: query.kinds };
    const groups = await this.usage
      .aggregate<{ _id: string; uses: number; users: number }>([
        { $match: match },
        { $group: { _id: '$key', uses: { $sum: '$count' }, users: { $sum: 1 } } },
        { $sort: { uses: -1, _id: 1 } },
        { $limit: query.limit },
      ])
      .exec();
    if (groups.length === 0) return [];
    const docs = await this.usage
      .find(
        { key: { $in: groups.map((group) => group._id) } },
        { key: 1, kind: 1, projects: 1, params: 1, lastAt: 1 },
      )
      .lean<UsageRecord[]>()
      .exec();
    const byKey = new Map<string, { doc: UsageRecord; lastAt: number }>();
    for (const doc of docs) {
      const at = new Date(doc.lastAt).getTime();
      const seen = byKey.get(doc.key);
      if (!seen || at > seen.lastAt) byKey.set(doc.key, { doc, lastAt: at });
    }
    return groups.flatMap((group) => {
      const found = byKey.get(group._id);
      if (!found) return [];
      return [
        {
          kind: found.doc.kind as UsageKind,
          projects: found.doc.projects,
          params: JSON.parse(found.doc.params) as Record<string, unknown>,
          uses: group.uses,
          users: group.users,
          lastAt: new Date(found.lastAt).toISOString(),
        },
      ];
    });
  }
}
