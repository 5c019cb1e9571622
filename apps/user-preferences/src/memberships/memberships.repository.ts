import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { Membership, membershipId } from './schemas/membership.schema';

export interface MembershipRecord {
  project: string;
  username: string;
  addedAt: Date;
  addedBy: string;
}

const toRecord = ({ project, username, addedAt, addedBy }: Membership): MembershipRecord => ({
  project,
  username,
  addedAt,
  addedBy,
});

@Injectable()
export class MembershipsRepository {
  constructor(@InjectModel(Membership.name) private readonly memberships: Model<Membership>) {}

  /** Idempotent: adding an existing member keeps the original record. */
  async add(member: MembershipRecord): Promise<MembershipRecord> {
    const _id = membershipId(member.project, member.username);
    await this.memberships.updateOne({ _id }, { $setOnInsert: { ...member } }, { upsert: true }).exec();
    const doc = await this.memberships.findById(_id).lean<Membership>().exec();
    return doc ? toRecord(doc) : member;
  }

  async remove(project: string, username: string): Promise<boolean> {
    const result = await this.memberships.deleteOne({ _id: membershipId(project, username) }).exec();
    return result.deletedCount === 1;
  }

  /** The subset of `projects` that `username` belongs to. */
  /** One `_id` lookup per project (FerretDB scans the collection for `{_id: {$in: [...]}}`). */
  async projectsOf(username: string, projects: string[]): Promise<Set<string>> {
    const docs = await Promise.all(
      projects.map((project) =>
        this.memberships.findById(membershipId(project, username), { project: 1 }).lean<Membership>().exec(),
      ),
    );
    return new Set(docs.flatMap((doc) => (doc ? [doc.project] : [])));
  }

  async allProjectsOf(username: string): Promise<string[]> {
    const docs = await this.memberships.find({ username }, { project: 1 }).lean<Membership[]>().exec();
    return docs.map((doc) => doc.project);
  }

  async membersOf(project: string): Promise<MembershipRecord[]> {
    const docs = await this.memberships.find({ project }).sort({ username: 1 }).lean<Membership[]>().exec();
    return docs.map(toRecord);
  }

  async removeAllOfUser(username: string): Promise<void> {
    await this.memberships.deleteMany({ username }).exec();
  }

  async removeAllOfProject(project: string): Promise<void> {
    await this.memberships.deleteMany({ project }).exec();
  }
}
