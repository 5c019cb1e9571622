import { DynamicModule, Module } from '@nestjs/common';
import { AccessTokenVerifier } from './access-token.verifier';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { JwtAuthGuard, PermissionsGuard, ProjectAccessGuard } from './guards';
import { IngestTokenAuthenticator } from './ingest-token.authenticator';
import { JwtAccessStrategy } from './jwt.strategy';
import { ProjectAccess } from './project-access';
import { AUTH_OPTIONS, AuthOptions } from './tokens';

/**
 * Authentication and authorisation for the HTTP edge. Guards run in this order on every route:
 * bearer credential (access JWT or project ingest token; unless @Public), permissions, project access
 * (membership for users, the token's own project for ingest tokens).
 * Needs MessagingModule (token verification and the membership check ask user-preferences).
 */
@Module({})
export class AuthModule {
  static forRoot(options: AuthOptions): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      imports: [PassportModule],
      providers: [
        { provide: AUTH_OPTIONS, useValue: options },
        JwtAccessStrategy,
        IngestTokenAuthenticator,
        ProjectAccess,
        AccessTokenVerifier,
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useClass: PermissionsGuard },
        { provide: APP_GUARD, useClass: ProjectAccessGuard },
      ],
      exports: [AUTH_OPTIONS, ProjectAccess, AccessTokenVerifier],
    };
  }
}
