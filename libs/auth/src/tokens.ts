import { Role } from '@testpulse/contracts';
import { Permission } from './permissions';

export const TOKEN_ISSUER = 'testpulse';
export const TOKEN_AUDIENCE = 'testpulse-api';
/** Only this algorithm is accepted: `none` and asymmetric-key confusion are refused. */
export const TOKEN_ALGORITHM = 'HS256';

export interface AccessTokenClaims {
  sub: string;
  role: Role;
  typ: 'access';
}

export interface RefreshTokenClaims {
  sub: string;
  typ: 'refresh';
}

export const PRINCIPAL_KINDS = ['user', 'ingest-token'] as const;
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

/**
 * Who is calling: a user (access JWT) or a CI pipeline (project ingest token). Rights come from
 * `permissions` only (check them with `can()`), never from `role`.
 */
export interface AuthUser {
  kind: PrincipalKind;
  /** The user's name; `token:<id>` for an ingest token (so audit and logs name the token). */
  username: string;
  /** The user's role; null for an ingest token, which has no role. */
  role: Role | null;
  permissions: Permission[];
  /**
   * Set for an ingest token: the only projects it may act on (membership is not asked). Undefined for
   * users, whose project access is their membership.
   */
  projects?: string[];
}

export interface AuthOptions {
  secret: string;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
}

export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');
