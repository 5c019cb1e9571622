import { IsInt, Matches } from 'class-validator';
import { EnvValidationError, loadEnv } from './load-env';
import { ServiceEnv } from './common-env';

class SampleEnv {
  @Matches(/^redis:\/\//, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @IsInt({ message: 'PORT must be an integer' })
  PORT: number;
}

describe('loadEnv', () => {
  it('applies defaults and converts numbers', () => {
    const env = loadEnv(SampleEnv, { PORT: '3000' });
    expect(env).toEqual(expect.objectContaining({ REDIS_URL: 'redis://127.0.0.1:6379', PORT: 3000 }));
  });

  it('names a missing required variable', () => {
    expect(() => loadEnv(SampleEnv, {})).toThrow(/PORT is required/);
  });

  it('names a bad value and treats an empty string as unset', () => {
    const attempt = () => loadEnv(SampleEnv, { PORT: '1', REDIS_URL: 'http://nope' });
    expect(attempt).toThrow(EnvValidationError);
    expect(attempt).toThrow(/REDIS_URL must be a redis:\/\/ URL/);
    expect(() => loadEnv(SampleEnv, { PORT: '' })).toThrow(/PORT is required/);
  });

  it('rejects a non-numeric port for a service', () => {
    expect(() => loadEnv(ServiceEnv, { HEALTH_PORT: 'abc' })).toThrow(/HEALTH_PORT must be an integer port/);
    expect(() => loadEnv(ServiceEnv, { HEALTH_PORT: '3101', MONGO_URL: 'postgres://x' })).toThrow(
      /MONGO_URL/,
    );
    expect(loadEnv(ServiceEnv, { HEALTH_PORT: '3101' }).MONGO_DB_PREFIX).toBe('testpulse');
  });
});
