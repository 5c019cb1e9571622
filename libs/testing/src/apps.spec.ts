import { SERVICE_NAMES } from '@testpulse/contracts';
import { DEFAULT_PORTS, FLEET_APPS, SERVICE_APPS, isServiceApp, resolveFleetApps } from './apps';

describe('fleet apps', () => {
  it('lists the eight services of the contracts and the gateway', () => {
    expect([...SERVICE_APPS]).toEqual([...SERVICE_NAMES]);
    expect([...FLEET_APPS]).toEqual(['gateway', ...SERVICE_NAMES]);
    expect(isServiceApp('gateway')).toBe(false);
    expect(isServiceApp('alert-management')).toBe(true);
  });

  it('gives the services the default health ports 3101..3108 in order', () => {
    expect(SERVICE_APPS.map((app) => DEFAULT_PORTS[app])).toEqual([
      3101, 3102, 3103, 3104, 3105, 3106, 3107, 3108,
    ]);
    expect(DEFAULT_PORTS.gateway).toBe(3000);
  });

  it('resolves app names once each, in fleet order, and rejects unknown ones', () => {
    expect(resolveFleetApps(['user-preferences', 'gateway', 'user-preferences'])).toEqual([
      'gateway',
      'user-preferences',
    ]);
    expect(() => resolveFleetApps(['gateway', 'billing'])).toThrow(/Unknown app\(s\): billing/);
    expect(() => resolveFleetApps([])).toThrow(/at least one app/);
  });
});
