import { IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateIf } from 'class-validator';
import { CommonEnv } from '@testpulse/config';

/** Used only when NODE_ENV=development and JWT_SECRET is unset; never valid elsewhere. */
export const DEVELOPMENT_JWT_SECRET = 'testpulse-development-only-secret-never-use-in-production';

export class GatewayEnv extends CommonEnv {
  @IsInt({ message: 'GATEWAY_PORT must be an integer port' })
  @Min(1, { message: 'GATEWAY_PORT must be between 1 and 65535' })
  @Max(65535, { message: 'GATEWAY_PORT must be between 1 and 65535' })
  GATEWAY_PORT: number = 3000;

  /** HMAC key of the tokens. Required outside development. */
  @ValidateIf((env: GatewayEnv) => env.NODE_ENV !== 'development' || env.JWT_SECRET !== undefined)
  @IsString({ message: 'JWT_SECRET must be set outside development' })
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  @IsInt()
  @Min(30)
  JWT_ACCESS_TTL_SECONDS: number = 900;

  @IsInt()
  @Min(60)
  JWT_REFRESH_TTL_SECONDS: number = 7 * 24 * 3600;

  /** Deadline of every call into a service; a dead service answers 503 at once, a hung one 504. */
  @IsInt()
  @Min(100)
  RPC_TIMEOUT_MS: number = 5000;

  /** Deadline of each ingestion call (a batch of results, finishing a large run). */
  @IsInt()
  @Min(100)
  INGEST_TIMEOUT_MS: number = 60_000;

  /** Deadline of analytics and report calls (they read and compute over weeks of history). */
  @IsInt()
  @Min(100)
  ANALYTICS_TIMEOUT_MS: number = 30_000;

  /** Deadline of each service's answer to /api/v1/health. */
  @IsInt()
  @Min(50)
  HEALTH_TIMEOUT_MS: number = 1000;

  /** Requests per minute per client address. */
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_MINUTE: number = 600;

  /** Login and refresh attempts per minute per client address. */
  @IsInt()
  @Min(1)
  AUTH_RATE_LIMIT_PER_MINUTE: number = 20;

  /** Largest accepted request body, in bytes or with a unit (e.g. 10mb). */
  @Matches(/^\d+(b|kb|mb)?$/i, { message: 'BODY_LIMIT must be bytes or a size like 10mb' })
  BODY_LIMIT = '10mb';

  /**
   * Which proxies may set X-Forwarded-For (the client address that rate limits count by):
   * an Express "trust proxy" value such as `loopback`, `uniquelocal` or a CIDR list.
   */
  @IsString()
  TRUST_PROXY = 'loopback';

  /** Largest accepted upload of test results (JSON, JUnit XML, CTRF), in bytes or with a unit. */
  @Matches(/^\d+(b|kb|mb|gb)?$/i, { message: 'INGEST_BODY_LIMIT must be bytes or a size like 200mb' })
  INGEST_BODY_LIMIT = '200mb';

  /** Comma-separated origins allowed by CORS; unset means same-origin only. */
  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  get jwtSecret(): string {
    return this.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET;
  }
}
