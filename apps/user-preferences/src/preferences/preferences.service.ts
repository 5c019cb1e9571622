import { Injectable } from '@nestjs/common';
import { DataVersions } from '@testpulse/cache';
import {
  PEOPLE_DATA_VERSION,
  PreferenceTemplateView,
  PreferencesInputDto,
  PreferencesView,
} from '@testpulse/contracts';
import { rpcError } from '@testpulse/messaging';
import { UsersRepository } from '../users/users.repository';
import { preferenceTemplates, templateOf } from './preference-templates';
import { PreferencesRepository } from './preferences.repository';

/** Plain JSON without undefined fields: what is stored is exactly what is read back. */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

@Injectable()
export class PreferencesService {
  constructor(
    private readonly preferences: PreferencesRepository,
    private readonly users: UsersRepository,
    private readonly versions: DataVersions,
  ) {}

  templates(): PreferenceTemplateView[] {
    return preferenceTemplates();
  }

  /** The user's preferences: what they saved over the template of their role. */
  async get(username: string): Promise<PreferencesView> {
    const user = await this.requireUser(username);
    const saved = await this.preferences.find(username);
    return {
      username,
      role: user.role,
      ...templateOf(user.role),
      ...(saved ? plain(saved.values) : {}),
      updatedAt: saved ? saved.updatedAt.toISOString() : null,
    };
  }

  /** Replaces the user's preferences; fields left out take the template's values again. */
  async put(username: string, input: PreferencesInputDto, now = new Date()): Promise<PreferencesView> {
    await this.requireUser(username);
    await this.preferences.save(username, plain(input), now);
    await this.versions.bump(PEOPLE_DATA_VERSION);
    return this.get(username);
  }

  private async requireUser(username: string) {
    const user = await this.users.findByUsername(username);
    if (!user) throw rpcError('NOT_FOUND', `user '${username}' does not exist`);
    return user;
  }
}
