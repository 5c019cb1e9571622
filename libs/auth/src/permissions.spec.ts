import { ROLES } from '@testpulse/contracts';
import { PERMISSIONS, hasPermission, isRole, permissionsOf } from './permissions';

describe('role permissions', () => {
  it('gives admins every permission', () => {
    expect(permissionsOf('admin')).toEqual([...PERMISSIONS]);
  });

  it('keeps administration to admins', () => {
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      expect(hasPermission(role, 'users:manage')).toBe(false);
      expect(hasPermission(role, 'projects:manage')).toBe(false);
      expect(hasPermission(role, 'projects:all')).toBe(false);
      expect(hasPermission(role, 'audit:read')).toBe(false);
    }
  });

  it('lets product owners read but not write', () => {
    expect(hasPermission('product_owner', 'reports:read')).toBe(true);
    expect(hasPermission('product_owner', 'results:ingest')).toBe(false);
    expect(hasPermission('product_owner', 'reports:generate')).toBe(false);
  });

  it('lets test managers issue ingest tokens and manage alerts, not QA engineers', () => {
    expect(hasPermission('test_manager', 'tokens:manage')).toBe(true);
    expect(hasPermission('test_manager', 'alerts:manage')).toBe(true);
    expect(hasPermission('qa_engineer', 'tokens:manage')).toBe(false);
    expect(hasPermission('qa_engineer', 'alerts:manage')).toBe(false);
    expect(hasPermission('qa_engineer', 'results:ingest')).toBe(true);
  });

  it('recognises role names', () => {
    expect(isRole('dev_lead')).toBe(true);
    expect(isRole('root')).toBe(false);
  });
});
