import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import {
  AUTH_OPTIONS,
  AccessTokenClaims,
  AuthOptions,
  RefreshTokenClaims,
  TOKEN_ALGORITHM,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
} from '@testpulse/auth';
import { Role } from '@testpulse/contracts';
import { JsonWebTokenError, TokenExpiredError, sign, verify } from 'jsonwebtoken';
import { randomUUID } from 'node:crypto';
import { TokenPairView } from './dto/token.dto';

/** Issues access/refresh token pairs and checks refresh tokens (HS256, issuer and audience bound). */
@Injectable()
export class TokenService {
  constructor(@Inject(AUTH_OPTIONS) private readonly options: AuthOptions) {}

  issue(username: string, role: Role): TokenPairView {
    const common = { algorithm: TOKEN_ALGORITHM, issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE } as const;
    const access: AccessTokenClaims = { sub: username, role, typ: 'access' };
    const refresh: RefreshTokenClaims = { sub: username, typ: 'refresh' };
    return {
      accessToken: sign(access, this.options.secret, { ...common, expiresIn: this.options.accessTtlSeconds }),
      refreshToken: sign(refresh, this.options.secret, {
        ...common,
        expiresIn: this.options.refreshTtlSeconds,
        jwtid: randomUUID(),
      }),
      expiresIn: this.options.accessTtlSeconds,
      tokenType: 'Bearer',
    };
  }

  /** The username of a valid refresh token; 401 for anything else. */
  verifyRefresh(token: string): string {
    try {
      const claims = verify(token, this.options.secret, {
        algorithms: [TOKEN_ALGORITHM],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
      }) as Partial<RefreshTokenClaims>;
      if (claims.typ !== 'refresh' || typeof claims.sub !== 'string')
        throw new JsonWebTokenError('wrong type');
      return claims.sub;
    } catch (error) {
      if (error instanceof TokenExpiredError) throw new UnauthorizedException('refresh token expired');
      throw new UnauthorizedException('invalid refresh token');
    }
  }
}
