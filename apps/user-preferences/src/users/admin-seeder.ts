import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DEVELOPMENT_ADMIN, UserPreferencesEnv } from '../env';
import { hashPassword } from './password-hasher';
import { UsersRepository } from './users.repository';

/**
 * Creates the first admin from ADMIN_USERNAME / ADMIN_PASSWORD when no admin exists yet.
 * In development both have documented defaults; elsewhere the service refuses to start without them.
 * An existing admin is never overwritten.
 */
@Injectable()
export class AdminSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminSeeder.name);

  constructor(
    private readonly users: UsersRepository,
    @Inject(UserPreferencesEnv) private readonly env: UserPreferencesEnv,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if ((await this.users.countByRole('admin')) > 0) return;
    const development = this.env.NODE_ENV === 'development';
    const username = this.env.ADMIN_USERNAME ?? (development ? DEVELOPMENT_ADMIN.username : undefined);
    const password = this.env.ADMIN_PASSWORD ?? (development ? DEVELOPMENT_ADMIN.password : undefined);
    if (!username || !password) {
      throw new Error('No admin exists: set ADMIN_USERNAME and ADMIN_PASSWORD to create the first one');
    }
    const created = await this.users.insert({
      username,
      passwordHash: await hashPassword(password),
      role: 'admin',
      createdAt: new Date(),
    });
    if (!created) throw new Error(`ADMIN_USERNAME '${username}' is taken by a user who is not an admin`);
    this.logger.log(`created the first admin '${username}'`);
  }
}
