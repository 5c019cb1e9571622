import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { Project } from './schemas/project.schema';

export interface ProjectRecord {
  key: string;
  name: string;
  createdAt: Date;
  createdBy: string;
}

const toRecord = (doc: Project): ProjectRecord => ({
  key: doc._id,
  name: doc.name,
  createdAt: doc.createdAt,
  createdBy: doc.createdBy,
});

@Injectable()
export class ProjectsRepository {
  constructor(@InjectModel(Project.name) private readonly projects: Model<Project>) {}

  /** Inserts a new project; false when the key is taken. */
  async insert(project: ProjectRecord): Promise<boolean> {
    const { key, ...fields } = project;
    const result = await this.projects
      .updateOne({ _id: key }, { $setOnInsert: fields }, { upsert: true })
      .exec();
    return result.upsertedCount === 1;
  }

  async findByKey(key: string): Promise<ProjectRecord | null> {
    const doc = await this.projects.findById(key).lean<Project>().exec();
    return doc ? toRecord(doc) : null;
  }

  /**
   * One `_id` lookup per key (access checks name a few projects): FerretDB answers an `_id` equality
   * without reading the collection, and scans it for `{_id: {$in: [...]}}`.
   */
  async existingKeys(keys: string[]): Promise<Set<string>> {
    const docs = await Promise.all(
      keys.map((key) => this.projects.findById(key, { _id: 1 }).lean<Project>().exec()),
    );
    return new Set(docs.flatMap((doc) => (doc ? [doc._id] : [])));
  }

  /** Every project, by key. */
  async all(): Promise<ProjectRecord[]> {
    const docs = await this.projects.find().sort({ _id: 1 }).lean<Project[]>().exec();
    return docs.map(toRecord);
  }

  /** A page of projects, all of them or only those with the given keys. */
  async page(
    skip: number,
    limit: number,
    onlyKeys?: string[],
  ): Promise<{ items: ProjectRecord[]; total: number }> {
    const filter = onlyKeys ? { _id: { $in: onlyKeys } } : {};
    const [docs, total] = await Promise.all([
      this.projects.find(filter).sort({ _id: 1 }).skip(skip).limit(limit).lean<Project[]>().exec(),
      this.projects.countDocuments(filter).exec(),
    ]);
    return { items: docs.map(toRecord), total };
  }

  async delete(key: string): Promise<boolean> {
    const result = await this.projects.deleteOne({ _id: key }).exec();
    return result.deletedCount === 1;
  }
}
