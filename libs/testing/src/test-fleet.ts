import { join } from 'node:path';
import { request } from './api';
import { Fleet } from './fleet';

export type ApiCall = (
  method: string,
  path: string,
  options?: Parameters<typeof request>[3],
) => ReturnType<typeof request>;

export interface TestFleet {
  fleet: Fleet;
  /** The variables every app was started with (to start more instances of an app alike). */
  env: Record<string, string>;
  api: ApiCall;
  /** The first admin (ADMIN_USERNAME) and its access token. */
  adminUsername: string;
  adminToken: string;
  /** Logs a user in and returns the access token. */
  login: (username: string, password: string) => Promise<string>;
}

function requiredEnv(name: 'REDIS_URL' | 'MONGO_URL'): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set: run the end-to-end tests through npm test`);
  return value;
}

/**
 * The whole fleet for an end-to-end spec, on the Redis and MongoDB of `npm test` (REDIS_URL,
 * MONGO_URL), in databases of its own (`prefix`), with its first admin logged in.
 */
export async function startTestFleet(prefix: string, env: Record<string, string> = {}): Promise<TestFleet> {
  const admin = {
    username: `${prefix}-admin`
      .slice(0, 32)
      .toLowerCase()
      .replace(/[^a-z0-9._-]/g, '-'),
    password: 'e2e-admin-password',
  };
  const fleetEnv: Record<string, string> = {
    NODE_ENV: 'test',
    REDIS_URL: requiredEnv('REDIS_URL'),
    MONGO_URL: requiredEnv('MONGO_URL'),
    MONGO_DB_PREFIX: prefix,
    JWT_SECRET: `${prefix}-e2e-secret-0123456789abcdef0123456789`,
    ADMIN_USERNAME: admin.username,
    ADMIN_PASSWORD: admin.password,
    RATE_LIMIT_PER_MINUTE: '100000',
    ...env,
  };
  const fleet = await Fleet.start({
    logDir: join(process.cwd(), '.data', 'test', 'logs', prefix),
    env: fleetEnv,
  });
  const api: ApiCall = (method, path, options) => request(fleet.gatewayUrl, method, path, options);
  const login = async (username: string, password: string): Promise<string> => {
    const res = await api('POST', '/api/v1/auth/login', { body: { username, password } });
    if (res.status !== 200)
      throw new Error(`login of ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.accessToken as string;
  };
  return {
    fleet,
    env: fleetEnv,
    api,
    adminUsername: admin.username,
    adminToken: await login(admin.username, admin.password),
    login,
  };
}
