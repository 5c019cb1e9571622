import { INGEST_TOKEN_PREFIX, IngestTokenIdentity, Role } from '@testpulse/contracts';
import { Permission, permissionsOf } from './permissions';
import { AuthUser } from './tokens';

/** All an ingest token may do: push results into its project. Reading them back needs a user. */
export const INGEST_TOKEN_PERMISSIONS: readonly Permission[] = ['results:ingest'];

/** The principal of a valid access token. */
export function userPrincipal(username: string, role: Role): AuthUser {
  return { kind: 'user', username, role, permissions: permissionsOf(role) };
}

/** The principal of a verified ingest token: no role, one project, ingestion only. */
export function ingestTokenPrincipal(identity: Pick<IngestTokenIdentity, 'id' | 'project'>): AuthUser {
  return {
    kind: 'ingest-token',
    username: `token:${identity.id}`,
    role: null,
    permissions: [...INGEST_TOKEN_PERMISSIONS],
    projects: [identity.project],
  };
}

export function isIngestTokenPrincipal(user: AuthUser | undefined): boolean {
  return user?.kind === 'ingest-token';
}

/** Whether the caller holds a permission: the one check for users and tokens alike. */
export function can(user: Pick<AuthUser, 'permissions'>, permission: Permission): boolean {
  return user.permissions.includes(permission);
}

/**
 * Why a caller may not use a route that requires `required` (undefined when it may). Users need every
 * listed permission. Tokens are refused by default: a route open to them must require permissions,
 * all of which the token holds, so a route that forgets `@RequirePermissions` never admits a token.
 */
export function permissionRefusal(user: AuthUser, required: readonly Permission[]): string | undefined {
  const missing = required.filter((permission) => !can(user, permission));
  if (user.kind === 'ingest-token') {
    if (required.length === 0) return 'an ingest token may only be used to ingest results';
    return missing.length ? `an ingest token lacks permission ${missing.join(', ')}` : undefined;
  }
  return missing.length ? `role '${user.role}' lacks permission ${missing.join(', ')}` : undefined;
}

/**
 * Why an ingest token may not act on `keys` (undefined when it may): every key must be one of its
 * projects. Users are not restricted here (membership is checked by the project guard).
 */
export function projectRefusal(user: AuthUser, keys: readonly string[]): string | undefined {
  if (user.projects === undefined) return undefined;
  const allowed = user.projects;
  if (keys.every((key) => allowed.includes(key))) return undefined;
  return `this token may only ingest into project '${allowed.join("', '")}'`;
}

/** The bearer credential of an Authorization header, if it is one. */
export function bearerOf(header: unknown): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** An ingest token, as opposed to a JWT (which starts with `eyJ`). */
export function looksLikeIngestToken(credential: string): boolean {
  return credential.startsWith(INGEST_TOKEN_PREFIX);
}
