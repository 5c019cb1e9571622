import { Injectable, UnauthorizedException } from '@nestjs/common';
import { INGEST_TOKEN_PATTERNS, INGEST_TOKEN_RULE, IngestTokenIdentity } from '@testpulse/contracts';
import { RpcCallError, ServiceClient } from '@testpulse/messaging';
import { ingestTokenPrincipal } from './principals';
import { AuthUser } from './tokens';

/** Answers that never say which check failed (unknown id, wrong secret, revoked, expired, project gone). */
const REFUSED = new Set(['UNAUTHENTICATED', 'INVALID_ARGUMENT', 'NOT_FOUND', 'PERMISSION_DENIED']);

/**
 * Turns a presented ingest token into its principal. user-preferences owns the tokens and checks
 * the hash, revocation, expiry and project on every request, so a revoked token is refused at once.
 */
@Injectable()
export class IngestTokenAuthenticator {
  constructor(private readonly services: ServiceClient) {}

  async authenticate(token: string): Promise<AuthUser> {
    if (!INGEST_TOKEN_RULE.test(token)) throw new UnauthorizedException('invalid ingest token');
    try {
      const identity = await this.services.send<IngestTokenIdentity>(INGEST_TOKEN_PATTERNS.verify, { token });
      return ingestTokenPrincipal(identity);
    } catch (error) {
      // Transport failures (503/504) stay what they are: the token may well be valid.
      if (error instanceof RpcCallError && REFUSED.has(error.code)) {
        throw new UnauthorizedException('invalid ingest token');
      }
      throw error;
    }
  }
}
