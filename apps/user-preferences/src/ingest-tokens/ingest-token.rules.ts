/** `lastUsedAt` is written at most this often per token, not on every request. */
export const LAST_USED_RESOLUTION_MS = 60_000;

const DAY_MS = 24 * 3600 * 1000;

export interface TokenLifetime {
  createdAt: Date;
  expiresAt?: Date;
  revokedAt?: Date;
}

export function expiryOf(createdAt: Date, expiresInDays: number | undefined): Date | undefined {
  return expiresInDays === undefined ? undefined : new Date(createdAt.getTime() + expiresInDays * DAY_MS);
}

/**
 * Why a token whose secret matched may not be used now (undefined when it may): revoked, expired, or
 * its project is gone. A project deleted and created again under the same key is another project:
 * tokens issued before it was created do not carry over.
 */
export function whyUnusable(
  token: TokenLifetime,
  projectCreatedAt: Date | null,
  now: Date,
): 'revoked' | 'expired' | 'project-gone' | undefined {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && token.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (!projectCreatedAt || projectCreatedAt.getTime() > token.createdAt.getTime()) return 'project-gone';
  return undefined;
}

/** Whether a use at `now` should be recorded (first use, or the last recorded one is a minute old). */
export function needsTouch(lastUsedAt: Date | undefined, now: Date): boolean {
  return !lastUsedAt || now.getTime() - lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS;
}
