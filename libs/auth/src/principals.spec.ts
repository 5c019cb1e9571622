import { ROLES } from '@testpulse/contracts';
import { PERMISSIONS, hasPermission } from './permissions';
import {
  INGEST_TOKEN_PERMISSIONS,
  bearerOf,
  can,
  ingestTokenPrincipal,
  looksLikeIngestToken,
  permissionRefusal,
  projectRefusal,
  userPrincipal,
} from './principals';

const token = ingestTokenPrincipal({ id: '0123456789abcdef01234567', project: 'checkout' });

describe('ingest token principals', () => {
  it('are named after the token and have no role', () => {
    expect(token).toEqual({
      kind: 'ingest-token',
      username: 'token:0123456789abcdef01234567',
      role: null,
      permissions: ['results:ingest'],
      projects: ['checkout'],
    });
  });

  it('may ingest and nothing else, reading results included', () => {
    for (const permission of PERMISSIONS) {
      expect(can(token, permission)).toBe(permission === 'results:ingest');
    }
    expect(INGEST_TOKEN_PERMISSIONS).toEqual(['results:ingest']);
  });

  it('get nothing from role-based checks', () => {
    for (const permission of PERMISSIONS) expect(hasPermission(token.role, permission)).toBe(false);
  });

  it('do not share the permission list of the constant', () => {
    token.permissions.push('users:manage');
    expect(INGEST_TOKEN_PERMISSIONS).toEqual(['results:ingest']);
    token.permissions.pop();
  });
});

describe('permission rules', () => {
  it('admit a token only where every required permission is ingestion', () => {
    expect(permissionRefusal(token, ['results:ingest'])).toBeUndefined();
    expect(permissionRefusal(token, ['projects:read'])).toBe(
      'an ingest token lacks permission projects:read',
    );
    expect(permissionRefusal(token, ['results:ingest', 'results:read'])).toBe(
      'an ingest token lacks permission results:read',
    );
    expect(permissionRefusal(token, ['users:manage'])).toBeDefined();
  });

  it('close routes that require no permission to tokens, not to users', () => {
    expect(permissionRefusal(token, [])).toBe('an ingest token may only be used to ingest results');
    expect(permissionRefusal(userPrincipal('paula', 'product_owner'), [])).toBeUndefined();
  });

  it('judge users by the permissions of their role, as before', () => {
    for (const role of ROLES) {
      const user = userPrincipal('someone', role);
      expect(user.kind).toBe('user');
      for (const permission of PERMISSIONS) {
        expect(can(user, permission)).toBe(hasPermission(role, permission));
      }
    }
    expect(permissionRefusal(userPrincipal('quinn', 'qa_engineer'), ['tokens:manage'])).toBe(
      "role 'qa_engineer' lacks permission tokens:manage",
    );
    expect(permissionRefusal(userPrincipal('tess', 'test_manager'), ['tokens:manage'])).toBeUndefined();
  });
});

describe('project rules', () => {
  it('bind a token to its project', () => {
    expect(projectRefusal(token, ['checkout'])).toBeUndefined();
    expect(projectRefusal(token, ['search'])).toBe("this token may only ingest into project 'checkout'");
    expect(projectRefusal(token, ['checkout', 'search'])).toBeDefined();
  });

  it('leave users to the membership check', () => {
    expect(projectRefusal(userPrincipal('quinn', 'qa_engineer'), ['anything'])).toBeUndefined();
  });
});

describe('bearer credentials', () => {
  it('are read from the Authorization header', () => {
    expect(bearerOf('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerOf('bearer tp_x')).toBe('tp_x');
    expect(bearerOf('Basic dXNlcjpwYXNz')).toBeUndefined();
    expect(bearerOf('Bearer')).toBeUndefined();
    expect(bearerOf(undefined)).toBeUndefined();
  });

  it('tell ingest tokens from JWTs by their prefix', () => {
    expect(looksLikeIngestToken(`tp_${'a'.repeat(24)}_${'b'.repeat(43)}`)).toBe(true);
    expect(looksLikeIngestToken('eyJhbGciOiJIUzI1NiJ9.e30.sig')).toBe(false);
  });
});
