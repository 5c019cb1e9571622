import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JsonWebTokenError, TokenExpiredError, verify } from 'jsonwebtoken';
import { KeyObject, createSecretKey } from 'node:crypto';
import { isRole } from './permissions';
import { userPrincipal } from './principals';
import {
  AUTH_OPTIONS,
  AccessTokenClaims,
  AuthOptions,
  AuthUser,
  TOKEN_ALGORITHM,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
} from './tokens';

/**
 * Verifies a raw access JWT outside an HTTP request (the real-time handshake): HS256 only, issuer,
 * audience and expiry checked, an access token only. The same rules as the passport strategy.
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly key: KeyObject;

  constructor(@Inject(AUTH_OPTIONS) options: AuthOptions) {
    this.key = createSecretKey(Buffer.from(options.secret));
  }

  /** The user and when the token expires (epoch ms); 401 naming what is wrong otherwise. */
  verify(token: string | undefined): { user: AuthUser; expiresAt: number } {
    if (!token) throw new UnauthorizedException('missing bearer token');
    let claims: Partial<AccessTokenClaims> & { exp?: number };
    try {
      claims = verify(token, this.key, {
        algorithms: [TOKEN_ALGORITHM],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
      }) as Partial<AccessTokenClaims> & { exp?: number };
    } catch (error) {
      if (error instanceof TokenExpiredError) throw new UnauthorizedException('access token expired');
      if (error instanceof JsonWebTokenError) throw new UnauthorizedException('invalid access token');
      throw error;
    }
    if (claims.typ !== 'access' || typeof claims.sub !== 'string' || !isRole(claims.role))
      throw new UnauthorizedException('not an access token');
    return { user: userPrincipal(claims.sub, claims.role), expiresAt: (claims.exp ?? 0) * 1000 };
  }
}
