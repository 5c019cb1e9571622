import { ROLES, Role } from '@testpulse/contracts';

/** Every permission the gateway checks. Routes name permissions, never roles. */
export const PERMISSIONS = [
  'users:manage',
  'projects:manage',
  'projects:read',
  /** Sees and acts on every project without being a member. */
  'projects:all',
  'audit:read',
  'tokens:manage',
  'results:ingest',
  'results:read',
  'analytics:read',
  'reports:generate',
  'reports:read',
  'cache:read',
  'cache:manage',
  'dashboards:read',
  'dashboards:write',
  'dashboards:share',
  'alerts:read',
  'alerts:manage',
  'alerts:acknowledge',
  'exports:create',
  'exports:read',
  'preferences:manage-any',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ: Permission[] = [
  'projects:read',
  'results:read',
  'analytics:read',
  'reports:read',
  'dashboards:read',
  'alerts:read',
  'exports:read',
];
const CONTRIBUTE: Permission[] = [
  ...READ,
  'results:ingest',
  'reports:generate',
  'dashboards:write',
  'alerts:acknowledge',
  'exports:create',
];

/** The one place where roles map to permissions. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  admin: new Set(PERMISSIONS),
  test_manager: new Set<Permission>([
    ...CONTRIBUTE,
    'dashboards:share',
    'alerts:manage',
    'cache:read',
    'cache:manage',
    'tokens:manage',
  ]),
  dev_lead: new Set<Permission>([...CONTRIBUTE, 'dashboards:share', 'cache:read']),
  qa_engineer: new Set<Permission>(CONTRIBUTE),
  product_owner: new Set<Permission>(READ),
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Whether a role grants a permission; no role (an ingest token) grants nothing. Prefer `can(user, …)`. */
export function hasPermission(role: Role | null | undefined, permission: Permission): boolean {
  return isRole(role) && ROLE_PERMISSIONS[role].has(permission);
}

export function permissionsOf(role: Role): Permission[] {
  return PERMISSIONS.filter((permission) => ROLE_PERMISSIONS[role].has(permission));
}
