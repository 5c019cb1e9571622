import { LAST_USED_RESOLUTION_MS, expiryOf, needsTouch, whyUnusable } from './ingest-token.rules';

const at = (iso: string) => new Date(iso);

describe('ingest token rules', () => {
  const createdAt = at('2025-03-01T10:00:00Z');
  const projectCreatedAt = at('2025-01-01T00:00:00Z');

  it('computes the expiry from days, or none', () => {
    expect(expiryOf(createdAt, 30)).toEqual(at('2025-03-31T10:00:00Z'));
    expect(expiryOf(createdAt, undefined)).toBeUndefined();
  });

  it('accepts a live token of an existing project', () => {
    expect(whyUnusable({ createdAt }, projectCreatedAt, at('2030-01-01T00:00:00Z'))).toBeUndefined();
    const expiresAt = at('2025-03-02T10:00:00Z');
    expect(
      whyUnusable({ createdAt, expiresAt }, projectCreatedAt, at('2025-03-02T09:59:59Z')),
    ).toBeUndefined();
  });

  it('refuses revoked and expired tokens', () => {
    const now = at('2025-03-05T00:00:00Z');
    expect(whyUnusable({ createdAt, revokedAt: at('2025-03-04T00:00:00Z') }, projectCreatedAt, now)).toBe(
      'revoked',
    );
    const expiresAt = at('2025-03-02T10:00:00Z');
    expect(whyUnusable({ createdAt, expiresAt }, projectCreatedAt, expiresAt)).toBe('expired');
    expect(whyUnusable({ createdAt, expiresAt }, projectCreatedAt, now)).toBe('expired');
  });

  it('refuses a token whose project is gone or was created again after it', () => {
    const now = at('2025-03-05T00:00:00Z');
    expect(whyUnusable({ createdAt }, null, now)).toBe('project-gone');
    expect(whyUnusable({ createdAt }, at('2025-03-04T00:00:00Z'), now)).toBe('project-gone');
    expect(whyUnusable({ createdAt }, createdAt, now)).toBeUndefined();
  });

  it('records a use at most once a minute', () => {
    const last = at('2025-03-05T00:00:00Z');
    expect(needsTouch(undefined, last)).toBe(true);
    expect(needsTouch(last, new Date(last.getTime() + LAST_USED_RESOLUTION_MS - 1))).toBe(false);
    expect(needsTouch(last, new Date(last.getTime() + LAST_USED_RESOLUTION_MS))).toBe(true);
    expect(LAST_USED_RESOLUTION_MS).toBe(60_000);
  });
});
