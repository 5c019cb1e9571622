import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Permission } from './permissions';
import { AuthUser } from './tokens';

export const PUBLIC_ROUTE = 'auth:public';
export const REQUIRED_PERMISSIONS = 'auth:permissions';
export const PROJECT_SCOPE = 'auth:project-scope';

/** No token needed (login, refresh, health, docs). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/**
 * The caller must hold every listed permission (403 otherwise). An ingest token holds only
 * `results:ingest`, and only routes that require permissions admit it at all: an ingestion route is
 * `@RequirePermissions('results:ingest')` plus `@ProjectScoped(...)`, for users and tokens alike.
 */
export const RequirePermissions = (...permissions: Permission[]) =>
  SetMetadata(REQUIRED_PERMISSIONS, permissions);

export interface ProjectScope {
  /** Where the project key(s) are read from. */
  in: 'params' | 'query' | 'body';
  /**
   * The field holding one key, a list of keys, or a comma-separated list; a dotted path
   * (`filter.projects`) names a field of a nested object.
   */
  field: string;
}

/**
 * The route acts on the project(s) named in the request: the caller must be a member of each
 * (roles with `projects:all` pass), unknown projects get 404. An ingest token passes only for its own
 * project, and only on routes marked with this decorator.
 */
export const ProjectScoped = (scope: ProjectScope) => SetMetadata(PROJECT_SCOPE, scope);

export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthUser => ctx.switchToHttp().getRequest<{ user: AuthUser }>().user,
);
