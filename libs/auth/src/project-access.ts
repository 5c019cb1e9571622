import { Injectable, Optional } from '@nestjs/common';
import { TwoLayerCache } from '@testpulse/cache';
import { ACCESS_CACHE_NAMESPACE, PROJECT_PATTERNS, ProjectAccessReply } from '@testpulse/contracts';
import { ServiceClient } from '@testpulse/messaging';
import { can, projectRefusal } from './principals';
import { AuthUser } from './tokens';

/** Why a principal may not see some projects: 404 for a project that does not exist, else 403. */
export interface AccessRefusal {
  status: 403 | 404;
  message: string;
}

/**
 * Whether a principal may see projects: a token its own project, a user the projects they belong
 * to (those with `projects:all`, every existing one). The answers of user-preferences are kept in
 * the two-layer cache (when the app has one) under a generation that user-preferences bumps on
 * every change of projects, memberships or users, so a revoked membership is refused on the next
 * request; while the cache's Redis is unreachable, every check asks. Used by the HTTP guard and the
 * real-time gateway alike.
 */
@Injectable()
export class ProjectAccess {
  constructor(
    private readonly services: ServiceClient,
    @Optional() private readonly cache?: TwoLayerCache,
  ) {}

  async refusal(user: AuthUser, keys: string[]): Promise<AccessRefusal | undefined> {
    if (user.projects !== undefined) {
      // A token's own project was checked (it still exists) when the token was verified.
      const refusal = projectRefusal(user, keys);
      return refusal ? { status: 403, message: refusal } : undefined;
    }
    const reply = await this.reply(keys, can(user, 'projects:all') ? undefined : user.username);
    if (reply.unknown.length) return { status: 404, message: `project '${reply.unknown[0]}' does not exist` };
    if (reply.denied.length)
      return { status: 403, message: `you are not a member of project '${reply.denied[0]}'` };
    return undefined;
  }

  /** Which of `keys` do not exist, and which `member` does not belong to (no member: existence only). */
  async reply(keys: string[], member: string | undefined): Promise<ProjectAccessReply> {
    const ask = () =>
      this.services.send<ProjectAccessReply>(PROJECT_PATTERNS.checkAccess, {
        keys,
        ...(member === undefined ? {} : { member }),
      });
    if (!this.cache) return ask();
    // Keyed by the projects as parameters, not as the entry's projects: an answer depends on people
    // and projects (user-preferences bumps the namespace on every change of them), never on a
    // project's test data, whose generation moves with every run.
    const { value } = await this.cache.readShared(
      {
        namespace: ACCESS_CACHE_NAMESPACE,
        projects: [],
        params: { keys: [...new Set(keys)].sort(), member: member ?? null },
      },
      ask,
      { requireLive: true },
    );
    return value;
  }
}
