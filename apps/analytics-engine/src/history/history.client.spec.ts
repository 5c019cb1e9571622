import { windowOf } from './history.client';

describe('windowOf', () => {
  it('is the last N UTC days, today included', () => {
    expect(windowOf(1, new Date('2026-11-28T23:59:00Z'))).toEqual({ from: '2026-11-28', to: '2026-11-28' });
    expect(windowOf(30, new Date('2026-03-01T01:00:00Z'))).toEqual({ from: '2026-01-31', to: '2026-03-01' });
  });
});
