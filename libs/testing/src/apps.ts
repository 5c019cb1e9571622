import type { ServiceName } from '@testpulse/contracts';

/** The eight services behind the gateway, in the order of their default HEALTH_PORTs (3101..3108). */
export const SERVICE_APPS = [
  'data-aggregation',
  'analytics-engine',
  'report-generation',
  'cache-management',
  'dashboard-orchestration',
  'alert-management',
  'export-integration',
  'user-preferences',
] as const satisfies readonly ServiceName[];

export type ServiceApp = (typeof SERVICE_APPS)[number];

/** Every app of the fleet: the gateway and the eight services. */
export const FLEET_APPS = ['gateway', ...SERVICE_APPS] as const;

export type FleetApp = (typeof FLEET_APPS)[number];

/** The ports the apps use when nothing else is said (GATEWAY_PORT, HEALTH_PORT defaults of their env schemas). */
export const DEFAULT_PORTS: Readonly<Record<FleetApp, number>> = {
  gateway: 3000,
  'data-aggregation': 3101,
  'analytics-engine': 3102,
  'report-generation': 3103,
  'cache-management': 3104,
  'dashboard-orchestration': 3105,
  'alert-management': 3106,
  'export-integration': 3107,
  'user-preferences': 3108,
};

export function isServiceApp(app: string): app is ServiceApp {
  return (SERVICE_APPS as readonly string[]).includes(app);
}

export function isFleetApp(app: string): app is FleetApp {
  return (FLEET_APPS as readonly string[]).includes(app);
}

/** Checks app names and returns them once each, in FLEET_APPS order. */
export function resolveFleetApps(apps: readonly string[]): FleetApp[] {
  const unknown = apps.filter((app) => !isFleetApp(app));
  if (unknown.length > 0) {
    throw new Error(`Unknown app(s): ${unknown.join(', ')}. Known apps: ${FLEET_APPS.join(', ')}`);
  }
  if (apps.length === 0) throw new Error('A fleet needs at least one app');
  return FLEET_APPS.filter((app) => apps.includes(app));
}
