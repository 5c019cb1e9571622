import {
  BadRequestException,
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  NotFoundException,
  Optional,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { TwoLayerCache } from '@testpulse/cache';
import {
  ACCESS_CACHE_NAMESPACE,
  PROJECT_KEY_RULE,
  PROJECT_PATTERNS,
  ProjectAccessReply,
} from '@testpulse/contracts';
import { ServiceClient } from '@testpulse/messaging';
import { currentContext } from '@testpulse/observability';
import { PROJECT_SCOPE, PUBLIC_ROUTE, ProjectScope, REQUIRED_PERMISSIONS } from './decorators';
import { IngestTokenAuthenticator } from './ingest-token.authenticator';
import { Permission } from './permissions';
import {
  bearerOf,
  can,
  isIngestTokenPrincipal,
  looksLikeIngestToken,
  permissionRefusal,
  projectRefusal,
} from './principals';
import { AuthUser } from './tokens';

interface AuthRequest {
  user?: AuthUser;
  headers: Record<string, unknown>;
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
}

/** Logs and messages to services name the caller (a token as `token:<id>`, role `ingest-token`). */
function recordActor(user: AuthUser): void {
  const context = currentContext();
  if (context) context.actor = { username: user.username, role: user.role ?? user.kind };
}

/**
 * Every route needs a bearer credential unless marked @Public(): an access JWT (passport strategy
 * `jwt`, exactly as before) or a project ingest token `tp_…`, verified by user-preferences.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly ingestTokens: IngestTokenAuthenticator,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<AuthRequest>();
    const bearer = bearerOf(request.headers.authorization);
    if (bearer !== undefined && looksLikeIngestToken(bearer)) {
      const user = await this.ingestTokens.authenticate(bearer);
      request.user = user;
      recordActor(user);
      return true;
    }
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<TUser = AuthUser>(err: unknown, user: TUser | false, info: unknown): TUser {
    if (err || !user) {
      const reason = info instanceof Error ? info : undefined;
      if (reason?.name === 'TokenExpiredError') throw new UnauthorizedException('access token expired');
      if (reason?.message === 'No auth token') throw new UnauthorizedException('missing bearer token');
      throw new UnauthorizedException('invalid access token');
    }
    recordActor(user as unknown as AuthUser);
    return user;
  }
}

@Injectable()
export class PermissionsGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<Permission[] | undefined>(REQUIRED_PERMISSIONS, [
      context.getHandler(),
      context.getClass(),
    ]);
    const user = context.switchToHttp().getRequest<AuthRequest>().user;
    if (!required?.length && !isIngestTokenPrincipal(user)) return true;
    if (!user) throw new UnauthorizedException('missing bearer token');
    const refusal = permissionRefusal(user, required ?? []);
    if (refusal) throw new ForbiddenException(refusal);
    return true;
  }
}

export function projectKeysFrom(request: AuthRequest, scope: ProjectScope): string[] {
  const source: unknown = scope.in === 'body' ? request.body : request[scope.in];
  // A dotted field (`filter.projects`) walks into nested objects of the body.
  const raw = scope.field
    .split('.')
    .reduce<unknown>(
      (value, key) =>
        typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined,
      source,
    );
  const values = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [];
  return [...new Set(values.map((value) => String(value).trim()).filter(Boolean))];
}

/**
 * Project membership: every data route marked @ProjectScoped() passes through here. The answers of
 * user-preferences are kept in the two-layer cache (when the app has one) under a generation that
 * user-preferences bumps on every change of projects, memberships or users, so a revoked membership
 * is refused on the next request; while the cache's Redis is unreachable, every check asks.
 */
@Injectable()
export class ProjectAccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly services: ServiceClient,
    @Optional() private readonly cache?: TwoLayerCache,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const scope = this.reflector.getAllAndOverride<ProjectScope | undefined>(PROJECT_SCOPE, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = context.switchToHttp().getRequest<AuthRequest>();
    const user = request.user;
    if (!scope) {
      // A token is bound to a project: a route that names none cannot be checked, so it is closed to tokens.
      if (isIngestTokenPrincipal(user)) {
        throw new ForbiddenException('an ingest token may only be used on routes of its project');
      }
      return true;
    }
    if (!user) throw new UnauthorizedException('missing bearer token');
    const keys = projectKeysFrom(request, scope);
    if (keys.length === 0) throw new BadRequestException(`${scope.field} must name at least one project`);
    const invalid = keys.find((key) => !PROJECT_KEY_RULE.test(key));
    if (invalid !== undefined) throw new BadRequestException(`'${invalid}' is not a valid project key`);
    if (user.projects !== undefined) {
      // A token's own project was checked (it still exists) when the token was verified.
      const refusal = projectRefusal(user, keys);
      if (refusal) throw new ForbiddenException(refusal);
      return true;
    }
    const reply = await this.access(keys, can(user, 'projects:all') ? undefined : user.username);
    if (reply.unknown.length) throw new NotFoundException(`project '${reply.unknown[0]}' does not exist`);
    if (reply.denied.length)
      throw new ForbiddenException(`you are not a member of project '${reply.denied[0]}'`);
    return true;
  }

  private async access(keys: string[], member: string | undefined): Promise<ProjectAccessReply> {
    const ask = () =>
      this.services.send<ProjectAccessReply>(PROJECT_PATTERNS.checkAccess, {
        keys,
        ...(member === undefined ? {} : { member }),
      });
    if (!this.cache) return ask();
    const { value } = await this.cache.read(
      { namespace: ACCESS_CACHE_NAMESPACE, projects: keys, params: { member: member ?? null } },
      ask,
      { requireLive: true },
    );
    return value;
  }
}
