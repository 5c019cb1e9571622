import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { PageQueryDto } from './paging';
import { PROJECT_KEY_RULE } from './projects';

/** Owned by user-preferences. */
export const INGEST_TOKEN_PATTERNS = {
  create: 'user-preferences.ingest-tokens.create',
  list: 'user-preferences.ingest-tokens.list',
  revoke: 'user-preferences.ingest-tokens.revoke',
  /** Checks a presented token (hash, revocation, expiry, project) and answers its identity. */
  verify: 'user-preferences.ingest-tokens.verify',
} as const;

/** Every ingest token starts with this, so the gateway tells it from a JWT without parsing. */
export const INGEST_TOKEN_PREFIX = 'tp_';
/** A token id: 24 lowercase hex digits (public: listed, audited as `token:<id>`). */
export const INGEST_TOKEN_ID_RULE = /^[0-9a-f]{24}$/;
/** `tp_<id>_<secret>`, the secret being 32 random bytes in base64url (43 characters). */
export const INGEST_TOKEN_RULE = /^tp_([0-9a-f]{24})_([A-Za-z0-9_-]{43})$/;
/** Longest lifetime a token may be given, in days. */
export const INGEST_TOKEN_MAX_DAYS = 3650;

const projectField = () => Matches(PROJECT_KEY_RULE, { message: 'project must be a project key' });

export class CreateIngestTokenDto {
  @ApiProperty({ example: 'checkout' })
  @IsString()
  @projectField()
  project: string;

  @ApiProperty({ example: 'GitHub Actions main pipeline', maxLength: 100 })
  @IsString()
  @Matches(/\S/, { message: 'name must not be empty' })
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: INGEST_TOKEN_MAX_DAYS,
    description: 'The token stops working after this many days; without it, it works until revoked',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(INGEST_TOKEN_MAX_DAYS)
  expiresInDays?: number;
}

/** `?project=` of the token routes. */
export class IngestTokenProjectQueryDto {
  @ApiProperty({ example: 'checkout' })
  @IsString()
  @projectField()
  project: string;
}

export class IngestTokenListQueryDto extends PageQueryDto {
  @ApiProperty({ example: 'checkout' })
  @IsString()
  @projectField()
  project: string;
}

export class IngestTokenIdDto {
  @ApiProperty({ pattern: INGEST_TOKEN_ID_RULE.source })
  @IsString()
  @Matches(INGEST_TOKEN_ID_RULE, { message: 'id must be a token id (24 hex digits)' })
  id: string;
}

/** Revokes token `id` of `project` (a token of another project is not found). */
export class RevokeIngestTokenDto extends IngestTokenIdDto {
  @IsString()
  @projectField()
  project: string;
}

export class VerifyIngestTokenDto {
  /** The whole presented token; anything malformed is answered as an invalid token. */
  @IsString()
  @MaxLength(200)
  token: string;
}

/** What verification answers for a valid token. */
export interface IngestTokenIdentity {
  id: string;
  project: string;
  name: string;
}

/** A token as listed: never its secret. */
export class IngestTokenView {
  @ApiProperty() id: string;
  @ApiProperty() project: string;
  @ApiProperty() name: string;
  @ApiProperty() createdBy: string;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional() lastUsedAt?: string;
  @ApiPropertyOptional() expiresAt?: string;
  @ApiPropertyOptional() revokedAt?: string;
  @ApiPropertyOptional() revokedBy?: string;
}

/** The answer to creation: the only time the token itself is shown. */
export class CreatedIngestTokenView {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'Shown once: send it as `Authorization: Bearer <token>`' }) token: string;
  @ApiProperty() project: string;
  @ApiProperty() name: string;
  @ApiProperty() createdBy: string;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional() expiresAt?: string;
}
