import { Injectable } from '@nestjs/common';
import { DataVersions, TwoLayerCache } from '@testpulse/cache';
import {
  ACCESS_CACHE_NAMESPACE,
  PEOPLE_DATA_VERSION,
  CreateUserDto,
  DEFAULT_PAGE_SIZE,
  Page,
  PageQueryDto,
  UserView,
} from '@testpulse/contracts';
import { rpcError } from '@testpulse/messaging';
import { Actor } from '@testpulse/observability';
import { MembershipsRepository } from '../memberships/memberships.repository';
import { PreferencesRepository } from '../preferences/preferences.repository';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password-hasher';
import { UserRecord, UsersRepository } from './users.repository';

const toView = (user: UserRecord): UserView => ({
  username: user.username,
  role: user.role,
  createdAt: user.createdAt.toISOString(),
});

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly memberships: MembershipsRepository,
    private readonly preferences: PreferencesRepository,
    private readonly cache: TwoLayerCache,
    private readonly versions: DataVersions,
  ) {}

  async create(input: CreateUserDto): Promise<UserView> {
    const user: UserRecord = {
      username: input.username,
      passwordHash: await hashPassword(input.password),
      role: input.role,
      createdAt: new Date(),
    };
    if (!(await this.users.insert(user))) {
      throw rpcError('CONFLICT', `user '${input.username}' already exists`);
    }
    return toView(user);
  }

  async get(username: string): Promise<UserView> {
    const user = await this.users.findByUsername(username);
    if (!user) throw rpcError('NOT_FOUND', `user '${username}' does not exist`);
    return toView(user);
  }

  async list(query: PageQueryDto): Promise<Page<UserView>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
    const { items, total } = await this.users.page((page - 1) * pageSize, pageSize);
    return { items: items.map(toView), page, pageSize, total };
  }

  async delete(username: string, actor: Actor | undefined): Promise<void> {
    if (actor?.username === username) throw rpcError('CONFLICT', 'you cannot delete your own account');
    const user = await this.users.findByUsername(username);
    if (!user) throw rpcError('NOT_FOUND', `user '${username}' does not exist`);
    if (user.role === 'admin' && (await this.users.countByRole('admin')) <= 1) {
      throw rpcError('CONFLICT', `'${username}' is the last admin and cannot be deleted`);
    }
    await this.memberships.removeAllOfUser(username);
    await this.preferences.delete(username);
    await this.users.delete(username);
    // The gateway keeps access answers (ProjectAccessGuard): the user's are unreachable from now on.
    await this.cache.invalidate({ namespace: ACCESS_CACHE_NAMESPACE }, { retry: true });
    await this.versions.bump(PEOPLE_DATA_VERSION);
  }

  /** The same answer, and about the same time, for an unknown user and a wrong password. */
  async verifyCredentials(username: string, password: string): Promise<UserView> {
    const user = await this.users.findByUsername(username);
    const valid = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !valid) throw rpcError('UNAUTHENTICATED', 'invalid username or password');
    return toView(user);
  }
}
