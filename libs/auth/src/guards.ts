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
import { PROJECT_KEY_RULE, PROJECT_PATTERNS, ProjectAccessReply } from '@testpulse/contracts';
import { ServiceClient } from '@testpulse/messaging';
import { currentContext } from '@testpulse/observability';
import { PROJECT_SCOPE, PUBLIC_ROUTE, ProjectScope, REQUIRED_PERMISSIONS } from './decorators';
import { Permission, hasPermission } from './permissions';
import { AuthUser } from './tokens';

interface AuthRequest {
  user?: AuthUser;
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
}

/** Every route needs a valid access token unless marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);
    return isPublic ? true : super.canActivate(context);
  }

  override handleRequest<TUser = AuthUser>(err: unknown, user: TUser | false, info: unknown): TUser {
    if (err || !user) {
      const reason = info instanceof Error ? info : undefined;
      if (reason?.name === 'TokenExpiredError') throw new UnauthorizedException('access token expired');
      if (reason?.message === 'No auth token') throw new UnauthorizedException('missing bearer token');
      throw new UnauthorizedException('invalid access token');
    }
    const { username, role } = user as unknown as AuthUser;
    const context = currentContext();
    if (context) context.actor = { username, role };
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
    if (!required?.length) return true;
    const user = context.switchToHttp().getRequest<AuthRequest>().user;
    if (!user) throw new UnauthorizedException('missing bearer token');
    const missing = required.filter((permission) => !hasPermission(user.role, permission));
    if (missing.length) {
      throw new ForbiddenException(`role '${user.role}' lacks permission ${missing.join(', ')}`);
    }
    return true;
  }
}

export function projectKeysFrom(request: AuthRequest, scope: ProjectScope): string[] {
  const source = (scope.in === 'body' ? request.body : request[scope.in]) as
    Record<string, unknown> | undefined;
  const raw = source?.[scope.field];
  const values = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [];
  return [...new Set(values.map((value) => String(value).trim()).filter(Boolean))];
}

/** Project membership: every data route marked @ProjectScoped() passes through here. */
@Injectable()
export class ProjectAccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly services: ServiceClient,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const scope = this.reflector.getAllAndOverride<ProjectScope | undefined>(PROJECT_SCOPE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!scope) return true;
    const request = context.switchToHttp().getRequest<AuthRequest>();
    const user = request.user;
    if (!user) throw new UnauthorizedException('missing bearer token');
    const keys = projectKeysFrom(request, scope);
    if (keys.length === 0) throw new BadRequestException(`${scope.field} must name at least one project`);
    const invalid = keys.find((key) => !PROJECT_KEY_RULE.test(key));
    if (invalid !== undefined) throw new BadRequestException(`'${invalid}' is not a valid project key`);
    const reply = await this.services.send<ProjectAccessReply>(PROJECT_PATTERNS.checkAccess, {
      keys,
      ...(hasPermission(user.role, 'projects:all') ? {} : { member: user.username }),
    });
    if (reply.unknown.length) throw new NotFoundException(`project '${reply.unknown[0]}' does not exist`);
    if (reply.denied.length)
      throw new ForbiddenException(`you are not a member of project '${reply.denied[0]}'`);
    return true;
  }
}
