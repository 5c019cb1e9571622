import { randomBytes } from 'node:crypto';
import type { FleetApp } from './apps';

/** Variables the fleet sets per app; inherited values of these are dropped. */
const FLEET_MANAGED_VARS = ['GATEWAY_PORT', 'HEALTH_PORT', 'HOST'] as const;

/**
 * The environment of one app: the parent's environment (minus the port and bind variables), then the
 * defaults NODE_ENV=test (unless the parent has one) and HOST=127.0.0.1, then `overrides`, then the
 * app's port as GATEWAY_PORT (gateway) or HEALTH_PORT (services).
 */
export function buildAppEnv(
  app: FleetApp,
  port: number,
  overrides: Readonly<Record<string, string>>,
  base: Readonly<Record<string, string | undefined>> = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value !== undefined && !(FLEET_MANAGED_VARS as readonly string[]).includes(key)) env[key] = value;
  }
  env.NODE_ENV = base.NODE_ENV || 'test';
  env.HOST = '127.0.0.1';
  Object.assign(env, overrides);
  delete env.GATEWAY_PORT;
  delete env.HEALTH_PORT;
  env[app === 'gateway' ? 'GATEWAY_PORT' : 'HEALTH_PORT'] = String(port);
  return env;
}

/**
 * A MONGO_DB_PREFIX no other run uses, e.g. `e2e_m3k1x2a_9f3c`: each service's database is
 * `<prefix>_<service>`, so a run never sees another run's data. At most 32 characters.
 */
export function uniqueDbPrefix(label = 'e2e'): string {
  const safeLabel = label.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 12) || 'run';
  return `${safeLabel}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}
