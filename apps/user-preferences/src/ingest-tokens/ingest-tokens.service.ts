import { Injectable, Logger } from '@nestjs/common';
import {
  CreateIngestTokenDto,
  CreatedIngestTokenView,
  DEFAULT_PAGE_SIZE,
  IngestTokenIdentity,
  IngestTokenListQueryDto,
  IngestTokenView,
  Page,
  RevokeIngestTokenDto,
} from '@testpulse/contracts';
import { rpcError } from '@testpulse/messaging';
import { Actor } from '@testpulse/observability';
import { ingestSecretMatches, issueIngestToken, parseIngestToken } from './ingest-token-secret';
import { expiryOf, needsTouch, whyUnusable } from './ingest-token.rules';
import { IngestTokenRecord, IngestTokensRepository } from './ingest-tokens.repository';

const toView = (token: IngestTokenRecord): IngestTokenView => ({
  id: token.id,
  project: token.project,
  name: token.name,
  createdBy: token.createdBy,
  createdAt: token.createdAt.toISOString(),
  ...(token.lastUsedAt ? { lastUsedAt: token.lastUsedAt.toISOString() } : {}),
  ...(token.expiresAt ? { expiresAt: token.expiresAt.toISOString() } : {}),
  ...(token.revokedAt ? { revokedAt: token.revokedAt.toISOString() } : {}),
  ...(token.revokedBy ? { revokedBy: token.revokedBy } : {}),
});

/** One answer for every refusal, so a caller learns nothing about which check failed. */
const invalidToken = () => rpcError('UNAUTHENTICATED', 'invalid ingest token');

@Injectable()
export class IngestTokensService {
  private readonly logger = new Logger(IngestTokensService.name);

  constructor(private readonly tokens: IngestTokensRepository) {}

  async create(input: CreateIngestTokenDto, actor: Actor | undefined): Promise<CreatedIngestTokenView> {
    if (!(await this.tokens.projectCreatedAt(input.project))) {
      throw rpcError('NOT_FOUND', `project '${input.project}' does not exist`);
    }
    const issued = issueIngestToken();
    const createdAt = new Date();
    const expiresAt = expiryOf(createdAt, input.expiresInDays);
    const record: IngestTokenRecord = {
      id: issued.id,
      project: input.project,
      name: input.name.trim(),
      secretHash: issued.secretHash,
      createdBy: actor?.username ?? 'system',
      createdAt,
      ...(expiresAt ? { expiresAt } : {}),
    };
    // 96 random bits: a taken id means a broken random source, not bad luck.
    if (!(await this.tokens.insert(record))) throw rpcError('INTERNAL', 'token id collision');
    this.logger.log({ tokenId: record.id, project: record.project }, 'ingest token created');
    const { id, project, name, createdBy } = record;
    return {
      id,
      token: issued.token,
      project,
      name,
      createdBy,
      createdAt: createdAt.toISOString(),
      ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}),
    };
  }

  async list(query: IngestTokenListQueryDto): Promise<Page<IngestTokenView>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
    const { items, total } = await this.tokens.page(query.project, (page - 1) * pageSize, pageSize);
    return { items: items.map(toView), page, pageSize, total };
  }

  /** Revokes a token of the project; revoking it again changes nothing. */
  async revoke(input: RevokeIngestTokenDto, actor: Actor | undefined): Promise<IngestTokenView> {
    const token = await this.tokens.findById(input.id);
    // A token of another project is "not found": the caller may not know it exists.
    if (!token || token.project !== input.project) {
      throw rpcError('NOT_FOUND', `ingest token '${input.id}' does not exist in project '${input.project}'`);
    }
    if (token.revokedAt) return toView(token);
    const revokedAt = new Date();
    const revokedBy = actor?.username ?? 'system';
    await this.tokens.revoke(token.id, revokedAt, revokedBy);
    this.logger.log({ tokenId: token.id, project: token.project }, 'ingest token revoked');
    return toView({ ...token, revokedAt, revokedBy });
  }

  /** The identity behind a presented token; UNAUTHENTICATED for anything that may not be used. */
  async verify(presented: string): Promise<IngestTokenIdentity> {
    const parts = parseIngestToken(presented);
    if (!parts) throw invalidToken();
    const token = await this.tokens.findById(parts.id);
    if (!token || !ingestSecretMatches(parts.secret, token.secretHash)) throw invalidToken();
    const now = new Date();
    const reason = whyUnusable(token, await this.tokens.projectCreatedAt(token.project), now);
    if (reason) {
      this.logger.warn({ tokenId: token.id, project: token.project, reason }, 'ingest token refused');
      throw invalidToken();
    }
    if (needsTouch(token.lastUsedAt, now)) await this.tokens.touch(token.id, now);
    return { id: token.id, project: token.project, name: token.name };
  }
}
