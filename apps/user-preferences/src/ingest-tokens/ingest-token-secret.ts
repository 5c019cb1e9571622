import { INGEST_TOKEN_PREFIX, INGEST_TOKEN_RULE } from '@testpulse/contracts';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 96 random bits: ids are public (listed, audited) and only need to be unique. */
const ID_BYTES = 12;
/** 256 random bits: far beyond guessing, so a fast hash (SHA-256) is enough to store it. */
const SECRET_BYTES = 32;

export interface IngestTokenParts {
  id: string;
  secret: string;
}

export interface IssuedIngestToken extends IngestTokenParts {
  /** `tp_<id>_<secret>`: what the client sends; shown once, never stored. */
  token: string;
  /** What is stored instead of the secret. */
  secretHash: string;
}

export function formatIngestToken({ id, secret }: IngestTokenParts): string {
  return `${INGEST_TOKEN_PREFIX}${id}_${secret}`;
}

/** The id and secret of a well-formed token; null for anything else. */
export function parseIngestToken(token: string): IngestTokenParts | null {
  const match = INGEST_TOKEN_RULE.exec(token);
  return match ? { id: match[1], secret: match[2] } : null;
}

/** SHA-256 of the secret, hex. */
export function hashIngestSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares in constant time; a malformed stored hash never matches. */
export function ingestSecretMatches(secret: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash, 'hex');
  const actual = createHash('sha256').update(secret, 'utf8').digest();
  return expected.length === actual.length && timingSafeEqual(actual, expected);
}

export function issueIngestToken(): IssuedIngestToken {
  const parts = {
    id: randomBytes(ID_BYTES).toString('hex'),
    secret: randomBytes(SECRET_BYTES).toString('base64url'),
  };
  return { ...parts, token: formatIngestToken(parts), secretHash: hashIngestSecret(parts.secret) };
}
