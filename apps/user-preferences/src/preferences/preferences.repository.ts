import { Injectable, Module } from '@nestjs/common';
import { InjectModel, MongooseModule } from '@nestjs/mongoose';
import { PreferencesInputDto } from '@testpulse/contracts';
import { Model } from 'mongoose';
import { Preferences, PreferencesSchema } from './schemas/preferences.schema';

export interface SavedPreferences {
  values: PreferencesInputDto;
  updatedAt: Date;
}

@Injectable()
export class PreferencesRepository {
  constructor(@InjectModel(Preferences.name) private readonly preferences: Model<Preferences>) {}

  async find(username: string): Promise<SavedPreferences | null> {
    const doc = await this.preferences.findById(username).lean<Preferences>().exec();
    return doc ? { values: doc.values as PreferencesInputDto, updatedAt: doc.updatedAt } : null;
  }

  /** Replaces what the user saved (one document per user: a repeated save is harmless). */
  async save(username: string, values: PreferencesInputDto, updatedAt: Date): Promise<void> {
    await this.preferences
      .updateOne({ _id: username }, { $set: { values, updatedAt } }, { upsert: true })
      .exec();
  }

  async delete(username: string): Promise<void> {
    await this.preferences.deleteOne({ _id: username }).exec();
  }
}

/** The preferences collection alone, for the users module too (a deleted user's preferences go). */
@Module({
  imports: [MongooseModule.forFeature([{ name: Preferences.name, schema: PreferencesSchema }])],
  providers: [PreferencesRepository],
  exports: [PreferencesRepository],
})
export class PreferencesStoreModule {}
