import {
  BadRequestException,
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { PROJECT_KEY_RULE } from '@testpulse/contracts';
import { currentContext } from '@testpulse/observability';
import { PROJECT_SCOPE, PUBLIC_ROUTE, ProjectScope, REQUIRED_PERMISSIONS } from './decorators';
import { IngestTokenAuthenticator } from './ingest-token.authenticator';
import { ProjectAccess } from './project-access';
import { Permission } from './permissions';
import { bearerOf, isIngestTokenPrincipal, looksLikeIngestToken, permissionRefusal } from './principals';
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

/** Project membership: every data route marked @ProjectScoped() passes through here. */
@Injectable()
export class ProjectAccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: ProjectAccess,
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
    const refusal = await this.access.refusal(user, keys);
    if (refusal?.status === 404) throw new NotFoundException(refusal.message);
    if (refusal) throw new ForbiddenException(refusal.message);
    return true;
  }
}
