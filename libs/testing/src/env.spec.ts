import { buildAppEnv, uniqueDbPrefix } from './env';

describe('buildAppEnv', () => {
  const base = { PATH: '/bin', HOST: 'example.org', HEALTH_PORT: '1', GATEWAY_PORT: '2', UNSET: undefined };

  it('gives a service its HEALTH_PORT, loopback binding and NODE_ENV=test by default', () => {
    const env = buildAppEnv('alert-management', 4100, { REDIS_URL: 'redis://x' }, base);
    expect(env).toEqual({
      PATH: '/bin',
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      REDIS_URL: 'redis://x',
      HEALTH_PORT: '4100',
    });
  });

  it('gives the gateway its GATEWAY_PORT; overrides win over the parent, but not over the port', () => {
    const env = buildAppEnv(
      'gateway',
      4000,
      { NODE_ENV: 'development', HOST: '0.0.0.0', GATEWAY_PORT: '9', HEALTH_PORT: '9' },
      { ...base, NODE_ENV: 'production' },
    );
    expect(env).toMatchObject({ NODE_ENV: 'development', HOST: '0.0.0.0', GATEWAY_PORT: '4000' });
    expect(env.HEALTH_PORT).toBeUndefined();
  });

  it('keeps the parent NODE_ENV unless overridden', () => {
    expect(buildAppEnv('gateway', 1, {}, { NODE_ENV: 'development' }).NODE_ENV).toBe('development');
  });
});

describe('uniqueDbPrefix', () => {
  it('is a valid MONGO_DB_PREFIX and differs between calls', () => {
    const a = uniqueDbPrefix();
    const b = uniqueDbPrefix('a very long label with spaces!');
    expect(a).toMatch(/^e2e_[a-z0-9]+_[0-9a-f]{6}$/);
    for (const prefix of [a, b]) expect(prefix).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
    expect(uniqueDbPrefix()).not.toBe(a);
  });
});
