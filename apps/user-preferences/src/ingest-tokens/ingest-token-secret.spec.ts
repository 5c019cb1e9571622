import { INGEST_TOKEN_RULE } from '@testpulse/contracts';
import { createHash } from 'node:crypto';
import {
  formatIngestToken,
  hashIngestSecret,
  ingestSecretMatches,
  issueIngestToken,
  parseIngestToken,
} from './ingest-token-secret';

describe('ingest token secrets', () => {
  it('issues tp_<id>_<secret> with 32 random bytes of secret', () => {
    const issued = issueIngestToken();
    expect(issued.token).toMatch(INGEST_TOKEN_RULE);
    expect(issued.token).toBe(`tp_${issued.id}_${issued.secret}`);
    expect(issued.id).toMatch(/^[0-9a-f]{24}$/);
    expect(Buffer.from(issued.secret, 'base64url')).toHaveLength(32);
    expect(issued.secretHash).not.toContain(issued.secret);
  });

  it('never issues the same token twice', () => {
    const tokens = new Set(Array.from({ length: 200 }, () => issueIngestToken().token));
    expect(tokens.size).toBe(200);
  });

  it('parses back what it formats, "_" and "-" in the secret included', () => {
    const parts = { id: 'abcdef0123456789abcdef01', secret: `_-${'x'.repeat(40)}_` };
    expect(parseIngestToken(formatIngestToken(parts))).toEqual(parts);
    const issued = issueIngestToken();
    expect(parseIngestToken(issued.token)).toEqual({ id: issued.id, secret: issued.secret });
  });

  it('rejects anything malformed', () => {
    const good = issueIngestToken().token;
    for (const bad of [
      '',
      'tp_',
      good.slice(0, -1),
      `${good}x`,
      good.replace('tp_', 'tq_'),
      good.toUpperCase(),
      ` ${good}`,
      `tp_${'g'.repeat(24)}_${'a'.repeat(43)}`,
      `tp_${'a'.repeat(24)}_${'a'.repeat(42)}=`,
    ]) {
      expect(parseIngestToken(bad)).toBeNull();
    }
  });

  it('stores the SHA-256 of the secret and matches only that secret', () => {
    const { secret, secretHash } = issueIngestToken();
    expect(secretHash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(hashIngestSecret(secret)).toBe(secretHash);
    expect(ingestSecretMatches(secret, secretHash)).toBe(true);
    expect(ingestSecretMatches(`${secret.slice(0, -1)}A`, secretHash)).toBe(secret.endsWith('A'));
    expect(ingestSecretMatches(issueIngestToken().secret, secretHash)).toBe(false);
  });

  it('never matches a malformed stored hash', () => {
    const { secret } = issueIngestToken();
    expect(ingestSecretMatches(secret, '')).toBe(false);
    expect(ingestSecretMatches(secret, 'not-hex')).toBe(false);
    expect(ingestSecretMatches(secret, hashIngestSecret(secret).slice(0, 62))).toBe(false);
  });
});
