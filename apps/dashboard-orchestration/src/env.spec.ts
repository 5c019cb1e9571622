import { loadEnv } from '@testpulse/config';
import { DashboardOrchestrationEnv } from './env';

describe('DashboardOrchestrationEnv', () => {
  it('converts its numeric variables from strings', () => {
    const env = loadEnv(DashboardOrchestrationEnv, {
      WIDGET_TIMEOUT_MS: '2500',
      WIDGET_UPDATE_INTERVAL_MS: '25',
    });
    expect(env).toEqual(expect.objectContaining({ WIDGET_TIMEOUT_MS: 2500, WIDGET_UPDATE_INTERVAL_MS: 25 }));
    expect(loadEnv(DashboardOrchestrationEnv, {}).WIDGET_UPDATE_INTERVAL_MS).toBe(100);
  });
});
