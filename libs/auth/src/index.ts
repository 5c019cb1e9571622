export { PERMISSIONS, ROLE_PERMISSIONS, hasPermission, permissionsOf, isRole } from './permissions';
export type { Permission } from './permissions';
export { TOKEN_ISSUER, TOKEN_AUDIENCE, TOKEN_ALGORITHM, AUTH_OPTIONS, PRINCIPAL_KINDS } from './tokens';
export type { AccessTokenClaims, RefreshTokenClaims, AuthUser, AuthOptions, PrincipalKind } from './tokens';
export {
  INGEST_TOKEN_PERMISSIONS,
  userPrincipal,
  ingestTokenPrincipal,
  isIngestTokenPrincipal,
  can,
  permissionRefusal,
  projectRefusal,
  bearerOf,
  looksLikeIngestToken,
} from './principals';
export { IngestTokenAuthenticator } from './ingest-token.authenticator';
export { Public, RequirePermissions, ProjectScoped, CurrentUser } from './decorators';
export type { ProjectScope } from './decorators';
export { JwtAuthGuard, PermissionsGuard, ProjectAccessGuard, projectKeysFrom } from './guards';
export { JwtAccessStrategy } from './jwt.strategy';
export { ProjectAccess } from './project-access';
export { AccessTokenVerifier } from './access-token.verifier';
export type { AccessRefusal } from './project-access';
export { AuthModule } from './auth.module';
