import { ExecutionContext, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { INGEST_TOKEN_PATTERNS } from '@testpulse/contracts';
import { RpcCallError, ServiceClient } from '@testpulse/messaging';
import { PROJECT_SCOPE, ProjectScope, REQUIRED_PERMISSIONS } from './decorators';
import { PermissionsGuard, ProjectAccessGuard, projectKeysFrom } from './guards';
import { ProjectAccess } from './project-access';
import { IngestTokenAuthenticator } from './ingest-token.authenticator';
import { Permission } from './permissions';
import { ingestTokenPrincipal, userPrincipal } from './principals';
import { AuthUser } from './tokens';

const TOKEN = `tp_${'0'.repeat(24)}_${'A'.repeat(43)}`;
const token = ingestTokenPrincipal({ id: '0'.repeat(24), project: 'checkout' });

function route(metadata: { permissions?: Permission[]; scope?: ProjectScope }) {
  const handler = () => undefined;
  if (metadata.permissions) Reflect.defineMetadata(REQUIRED_PERMISSIONS, metadata.permissions, handler);
  if (metadata.scope) Reflect.defineMetadata(PROJECT_SCOPE, metadata.scope, handler);
  return (user: AuthUser | undefined, request: Record<string, unknown> = {}) =>
    ({
      getHandler: () => handler,
      getClass: () => class {},
      switchToHttp: () => ({ getRequest: () => ({ params: {}, query: {}, body: {}, ...request, user }) }),
    }) as unknown as ExecutionContext;
}

/** A ServiceClient that answers `send` with the given function. */
const servicesAnswering = (answer: (pattern: string, data: unknown) => Promise<unknown>) =>
  ({ send: jest.fn(answer) }) as unknown as ServiceClient & { send: jest.Mock };

describe('PermissionsGuard', () => {
  const guard = new PermissionsGuard(new Reflector());

  it('lets a token through an ingestion route', () => {
    expect(guard.canActivate(route({ permissions: ['results:ingest'] })(token))).toBe(true);
  });

  it('refuses a token on a route needing another permission, or none', () => {
    expect(() => guard.canActivate(route({ permissions: ['results:read'] })(token))).toThrow(
      ForbiddenException,
    );
    expect(() => guard.canActivate(route({})(token))).toThrow(
      'an ingest token may only be used to ingest results',
    );
  });

  it('keeps users as before', () => {
    expect(guard.canActivate(route({})(userPrincipal('quinn', 'qa_engineer')))).toBe(true);
    expect(guard.canActivate(route({})(undefined))).toBe(true);
    expect(() =>
      guard.canActivate(route({ permissions: ['tokens:manage'] })(userPrincipal('quinn', 'qa_engineer'))),
    ).toThrow("role 'qa_engineer' lacks permission tokens:manage");
  });
});

describe('ProjectAccessGuard', () => {
  const inBody = route({ scope: { in: 'body', field: 'project' } });

  it('lets a token act on its own project without asking for membership', async () => {
    const services = servicesAnswering(() => Promise.reject(new Error('must not be called')));
    const guard = new ProjectAccessGuard(new Reflector(), new ProjectAccess(services));
    await expect(guard.canActivate(inBody(token, { body: { project: 'checkout' } }))).resolves.toBe(true);
    expect(services.send).not.toHaveBeenCalled();
  });

  it('refuses a token any other project, and routes that name none', async () => {
    const guard = new ProjectAccessGuard(
      new Reflector(),
      new ProjectAccess(servicesAnswering(() => Promise.resolve({}))),
    );
    await expect(guard.canActivate(inBody(token, { body: { project: 'search' } }))).rejects.toThrow(
      "this token may only ingest into project 'checkout'",
    );
    await expect(
      guard.canActivate(inBody(token, { body: { project: ['checkout', 'search'] } })),
    ).rejects.toThrow(ForbiddenException);
    await expect(guard.canActivate(route({})(token))).rejects.toThrow(ForbiddenException);
  });

  it('asks for membership of users without projects:all', async () => {
    const services = servicesAnswering(() => Promise.resolve({ unknown: [], denied: [] }));
    const guard = new ProjectAccessGuard(new Reflector(), new ProjectAccess(services));
    await guard.canActivate(inBody(userPrincipal('quinn', 'qa_engineer'), { body: { project: 'checkout' } }));
    await guard.canActivate(inBody(userPrincipal('root', 'admin'), { body: { project: 'checkout' } }));
    expect(services.send.mock.calls.map(([, data]) => data)).toEqual([
      { keys: ['checkout'], member: 'quinn' },
      { keys: ['checkout'] },
    ]);
  });
});

describe('projectKeysFrom', () => {
  const request = (body: unknown) => ({ headers: {}, params: {}, query: {}, body });

  it('reads a nested field by its dotted path', () => {
    const scope = { in: 'body', field: 'filter.projects' } as const;
    expect(
      projectKeysFrom(request({ filter: { projects: ['checkout', 'search', 'checkout'] } }), scope),
    ).toEqual(['checkout', 'search']);
    expect(projectKeysFrom(request({ filter: { projects: 'checkout' } }), scope)).toEqual(['checkout']);
    expect(projectKeysFrom(request({ filter: 'checkout' }), scope)).toEqual([]);
    expect(projectKeysFrom(request({}), scope)).toEqual([]);
    expect(projectKeysFrom(request(undefined), scope)).toEqual([]);
  });

  it('asks for membership of every project of a nested list', async () => {
    const services = servicesAnswering(() => Promise.resolve({ unknown: [], denied: ['search'] }));
    const guard = new ProjectAccessGuard(new Reflector(), new ProjectAccess(services));
    const nested = route({ scope: { in: 'body', field: 'filter.projects' } });
    await expect(
      guard.canActivate(
        nested(userPrincipal('quinn', 'qa_engineer'), {
          body: { filter: { projects: ['checkout', 'search'] } },
        }),
      ),
    ).rejects.toThrow("you are not a member of project 'search'");
    expect(services.send.mock.calls[0][1]).toEqual({ keys: ['checkout', 'search'], member: 'quinn' });
    await expect(
      guard.canActivate(nested(userPrincipal('quinn', 'qa_engineer'), { body: {} })),
    ).rejects.toThrow('filter.projects must name at least one project');
  });
});

describe('IngestTokenAuthenticator', () => {
  it('turns a verified token into its principal', async () => {
    const services = servicesAnswering(() =>
      Promise.resolve({ id: '0'.repeat(24), project: 'checkout', name: 'ci' }),
    );
    await expect(new IngestTokenAuthenticator(services).authenticate(TOKEN)).resolves.toEqual(token);
    expect(services.send).toHaveBeenCalledWith(INGEST_TOKEN_PATTERNS.verify, { token: TOKEN });
  });

  it('refuses a malformed token without asking', async () => {
    const services = servicesAnswering(() => Promise.reject(new Error('must not be called')));
    await expect(new IngestTokenAuthenticator(services).authenticate('tp_nope')).rejects.toThrow(
      new UnauthorizedException('invalid ingest token'),
    );
  });

  it('answers 401 to a refused token but keeps transport failures', async () => {
    const refused = servicesAnswering(() =>
      Promise.reject(
        new RpcCallError('UNAUTHENTICATED', 'invalid ingest token', INGEST_TOKEN_PATTERNS.verify),
      ),
    );
    await expect(new IngestTokenAuthenticator(refused).authenticate(TOKEN)).rejects.toThrow(
      UnauthorizedException,
    );
    const down = servicesAnswering(() =>
      Promise.reject(new RpcCallError('UNAVAILABLE', 'no service', INGEST_TOKEN_PATTERNS.verify)),
    );
    await expect(new IngestTokenAuthenticator(down).authenticate(TOKEN)).rejects.toThrow(RpcCallError);
  });
});
