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

/** The authenticated user of a request. */
export interface AuthUser {
  username: string;
  role: Role;
  permissions: Permission[];
}

export interface AuthOptions {
  secret: string;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
}

export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');
