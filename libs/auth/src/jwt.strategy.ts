import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { ACCESS_TOKEN_RULES, accessPrincipal, signingKey } from './access-token.verifier';
import { AUTH_OPTIONS, AccessTokenClaims, AuthOptions, AuthUser } from './tokens';

/** Bearer access tokens: HS256 only, issuer and audience checked, expiry enforced. */
@Injectable()
export class JwtAccessStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(@Inject(AUTH_OPTIONS) options: AuthOptions) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // passport-jwt's types say string | Buffer; it hands the key to jsonwebtoken, which takes a KeyObject.
      secretOrKey: signingKey(options) as unknown as Buffer,
      ...ACCESS_TOKEN_RULES,
      ignoreExpiration: false,
    });
  }

  validate(claims: Partial<AccessTokenClaims>): AuthUser {
    return accessPrincipal(claims);
  }
}
