import { loadEnv } from '@testpulse/config';
import { DEVELOPMENT_JWT_SECRET, GatewayEnv } from './env';

describe('GatewayEnv', () => {
  it('uses the development secret only in development', () => {
    expect(loadEnv(GatewayEnv, { NODE_ENV: 'development' }).jwtSecret).toBe(DEVELOPMENT_JWT_SECRET);
  });

  it('refuses to start outside development without JWT_SECRET', () => {
    expect(() => loadEnv(GatewayEnv, { NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(() => loadEnv(GatewayEnv, { NODE_ENV: 'test' })).toThrow(/JWT_SECRET/);
  });

  it('refuses a short secret anywhere', () => {
    expect(() => loadEnv(GatewayEnv, { NODE_ENV: 'development', JWT_SECRET: 'short' })).toThrow(
      /JWT_SECRET must be at least 32 characters/,
    );
    const secret = 'x'.repeat(32);
    expect(loadEnv(GatewayEnv, { NODE_ENV: 'production', JWT_SECRET: secret }).jwtSecret).toBe(secret);
  });

  it('converts numeric variables from strings', () => {
    const env = loadEnv(GatewayEnv, {
      GATEWAY_PORT: '4321',
      RPC_TIMEOUT_MS: '2500',
      AUTH_RATE_LIMIT_PER_MINUTE: '5',
    });
    expect(env).toEqual(
      expect.objectContaining({ GATEWAY_PORT: 4321, RPC_TIMEOUT_MS: 2500, AUTH_RATE_LIMIT_PER_MINUTE: 5 }),
    );
  });

  it('names a bad port', () => {
    expect(() => loadEnv(GatewayEnv, { GATEWAY_PORT: '70000' })).toThrow(/GATEWAY_PORT/);
  });
});
