import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Role } from '@testpulse/contracts';
import { Model } from 'mongoose';
import { User } from './schemas/user.schema';

export interface UserRecord {
  username: string;
  passwordHash: string;
  role: Role;
  createdAt: Date;
}

const toRecord = (doc: User): UserRecord => ({
  username: doc._id,
  passwordHash: doc.passwordHash,
  role: doc.role,
  createdAt: doc.createdAt,
});

@Injectable()
export class UsersRepository {
  constructor(@InjectModel(User.name) private readonly users: Model<User>) {}

  async findByUsername(username: string): Promise<UserRecord | null> {
    const doc = await this.users.findById(username).lean<User>().exec();
    return doc ? toRecord(doc) : null;
  }

  /** Inserts a new user; false when the username is taken. */
  async insert(user: UserRecord): Promise<boolean> {
    const result = await this.users
      .updateOne(
        { _id: user.username },
        { $setOnInsert: { passwordHash: user.passwordHash, role: user.role, createdAt: user.createdAt } },
        { upsert: true },
      )
      .exec();
    return result.upsertedCount === 1;
  }

  async page(skip: number, limit: number): Promise<{ items: UserRecord[]; total: number }> {
    const [docs, total] = await Promise.all([
      this.users.find().sort({ _id: 1 }).skip(skip).limit(limit).lean<User[]>().exec(),
      this.users.countDocuments().exec(),
    ]);
    return { items: docs.map(toRecord), total };
  }

  async countByRole(role: Role): Promise<number> {
    return this.users.countDocuments({ role }).exec();
  }

  async delete(username: string): Promise<boolean> {
    const result = await this.users.deleteOne({ _id: username }).exec();
    return result.deletedCount === 1;
  }
}
