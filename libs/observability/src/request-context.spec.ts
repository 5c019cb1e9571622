import { acceptCorrelationId, currentContext, runWithContext } from './request-context';

describe('request context', () => {
  it('keeps the context across awaits and isolates concurrent runs', async () => {
    const seen: string[] = [];
    const run = (id: string) =>
      runWithContext({ correlationId: id }, async () => {
        await new Promise((r) => setTimeout(r, 5));
        seen.push(currentContext()?.correlationId ?? 'none');
      });
    await Promise.all([run('first-correlation'), run('second-correlation')]);
    expect(seen.sort()).toEqual(['first-correlation', 'second-correlation']);
    expect(currentContext()).toBeUndefined();
  });

  it('accepts safe caller ids and replaces unsafe ones', () => {
    expect(acceptCorrelationId('ci-build-1234')).toBe('ci-build-1234');
    const replaced = acceptCorrelationId('bad id\nwith newline');
    expect(replaced).toMatch(/^[0-9a-f-]{36}$/);
    expect(acceptCorrelationId(undefined)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
