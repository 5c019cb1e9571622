import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RESULT_STATUSES, ResultStatus, RunSummary } from '@testpulse/domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from './paging';
import { PROJECT_KEY_RULE } from './projects';

/** Owned by data-aggregation. */
export const EXECUTION_PATTERNS = {
  /** Opens a run (or finds the one with this runId) and stores nothing else. */
  start: 'data-aggregation.executions.start',
  /** Stores a batch of results of an open run. */
  append: 'data-aggregation.executions.append',
  /** Closes a run: exact summary from the stored results, rollups applied once. */
  finish: 'data-aggregation.executions.finish',
  list: 'data-aggregation.executions.list',
  /** The newest runs of a project (optionally one branch), without a total: for live widgets. */
  latest: 'data-aggregation.executions.latest',
  get: 'data-aggregation.executions.get',
  results: 'data-aggregation.executions.results',
} as const;

/** Fire-and-forget events data-aggregation emits for the services that react (wire format). */
export const EXECUTION_EVENTS = {
  started: 'execution.started',
  resultsAppended: 'execution.results-appended',
  finished: 'execution.finished',
  metricsUpdated: 'metrics.updated',
} as const;

/** Client-chosen run ids: URL-safe, so they can be used in paths as they are. */
export const RUN_ID_RULE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;
export const RUN_STATES = ['running', 'finished', 'interrupted'] as const;
export type RunState = (typeof RUN_STATES)[number];

/** Limits on one result; larger fields are refused with 400 naming them (parsers truncate instead). */
export const RESULT_LIMITS = {
  suite: 1000,
  name: 2000,
  file: 1000,
  errorType: 500,
  errorMessage: 64 * 1024,
  errorStack: 256 * 1024,
  output: 64 * 1024,
  attempts: 100,
  tags: 50,
  tag: 200,
  /** One week, in milliseconds. */
  durationMs: 7 * 24 * 3600 * 1000,
  /** Results in one request or transport batch. */
  batch: 5000,
  /** Results of a one-shot native JSON upload. */
  oneShot: 100_000,
} as const;

export class AttemptDto {
  @ApiProperty({ enum: RESULT_STATUSES }) @IsIn(RESULT_STATUSES) status: ResultStatus;
  @ApiProperty() @IsNumber() @Min(0) @Max(RESULT_LIMITS.durationMs) durationMs: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(RESULT_LIMITS.errorMessage) message?: string;
}

export class ResultErrorDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(RESULT_LIMITS.errorType) type?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(RESULT_LIMITS.errorMessage) message?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(RESULT_LIMITS.errorStack) stack?: string;
}

export class TestResultDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(RESULT_LIMITS.suite) suite: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(RESULT_LIMITS.name) name: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(RESULT_LIMITS.file) file?: string;
  @ApiProperty({ enum: RESULT_STATUSES }) @IsIn(RESULT_STATUSES) status: ResultStatus;
  @ApiProperty() @IsNumber() @Min(0) @Max(RESULT_LIMITS.durationMs) durationMs: number;

  @ApiPropertyOptional({ type: [AttemptDto], description: 'Earlier tries in this run, oldest first' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(RESULT_LIMITS.attempts)
  @ValidateNested({ each: true })
  @Type(() => AttemptDto)
  attempts?: AttemptDto[];

  @ApiPropertyOptional({ type: ResultErrorDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ResultErrorDto)
  error?: ResultErrorDto;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(RESULT_LIMITS.tags)
  @IsString({ each: true })
  @MaxLength(RESULT_LIMITS.tag, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ description: 'Stated by the report (CTRF); otherwise derived from attempts' })
  @IsOptional()
  @IsBoolean()
  flaky?: boolean;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(RESULT_LIMITS.output) systemOut?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(RESULT_LIMITS.output) systemErr?: string;
}

export class RunMetadataDto {
  @ApiProperty({ example: 'checkout' })
  @IsString()
  @Matches(PROJECT_KEY_RULE, { message: 'project must be a project key' })
  project: string;

  @ApiProperty({ example: 'gh-8812-1', description: 'The client idempotency key of the run' })
  @IsString()
  @Matches(RUN_ID_RULE, { message: 'runId must be 1-200 letters, digits, ".", "_", ":" or "-"' })
  runId: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(300) branch?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) commit?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) environment?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) startedAt?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) finishedAt?: string;
}

/** POST /executions: a whole run at once, or `status: "running"` without results to stream one. */
export class CreateExecutionDto extends RunMetadataDto {
  @ApiPropertyOptional({ enum: ['running', 'finished'], default: 'finished' })
  @IsOptional()
  @IsIn(['running', 'finished'])
  status?: 'running' | 'finished';

  @ApiPropertyOptional({ type: [TestResultDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(RESULT_LIMITS.oneShot)
  @ValidateNested({ each: true })
  @Type(() => TestResultDto)
  results?: TestResultDto[];
}

/** POST /executions/{runId}/results: one batch of a streamed run. */
export class AppendResultsDto {
  @ApiProperty()
  @IsString()
  @Matches(PROJECT_KEY_RULE, { message: 'project must be a project key' })
  project: string;

  @ApiPropertyOptional({
    description:
      'Sequence number of the batch (0, 1, …): a batch re-sent with the same number is stored once',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  batch?: number;

  @ApiProperty({ type: [TestResultDto] })
  @IsArray()
  @ArrayMaxSize(RESULT_LIMITS.batch)
  @ValidateNested({ each: true })
  @Type(() => TestResultDto)
  results: TestResultDto[];
}

export class FinishExecutionDto {
  @ApiProperty()
  @IsString()
  @Matches(PROJECT_KEY_RULE, { message: 'project must be a project key' })
  project: string;

  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) finishedAt?: string;
}

export class ExecutionListQueryDto extends PageQueryDto {
  @ApiProperty()
  @IsString()
  @Matches(PROJECT_KEY_RULE, { message: 'project must be a project key' })
  project: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(300) branch?: string;
  @ApiPropertyOptional({ enum: RUN_STATES }) @IsOptional() @IsIn(RUN_STATES) status?: RunState;
}

/** The most runs `EXECUTION_PATTERNS.latest` gives (data-aggregation keeps this many per project and branch). */
export const LATEST_RUNS_MAX = 100;

export class LatestRunsMessage {
  @IsString() @Matches(PROJECT_KEY_RULE) project: string;
  @IsInt() @Min(1) @Max(LATEST_RUNS_MAX) limit: number;
  @IsOptional() @IsString() @MaxLength(300) branch?: string;
}

export class ResultsQueryDto extends PageQueryDto {
  @ApiProperty()
  @IsString()
  @Matches(PROJECT_KEY_RULE, { message: 'project must be a project key' })
  project: string;

  @ApiPropertyOptional({ enum: RESULT_STATUSES }) @IsOptional() @IsIn(RESULT_STATUSES) status?: ResultStatus;
}

export interface RunView {
  project: string;
  runId: string;
  name?: string;
  branch?: string;
  commit?: string;
  environment?: string;
  status: RunState;
  /** False while a write of this run is unfinished (a retry with the same runId completes it). */
  complete: boolean;
  startedAt: string;
  finishedAt?: string;
  summary: RunSummary;
  source: IngestFormat;
}

export const INGEST_FORMATS = ['native', 'junit', 'ctrf'] as const;
export type IngestFormat = (typeof INGEST_FORMATS)[number];

export interface IngestReply {
  runId: string;
  project: string;
  status: RunState;
  summary: RunSummary;
}

/** data-aggregation `start`: open a run, or find the one with this runId. */
export class StartRunMessage {
  @ValidateNested()
  @Type(() => RunMetadataDto)
  run: RunMetadataDto;

  /** `stream`: batches follow over time; `one-shot`: a whole upload, checked against `contentHash`. */
  @IsIn(['stream', 'one-shot'])
  mode: 'stream' | 'one-shot';

  @IsIn(INGEST_FORMATS)
  source: IngestFormat;

  /** SHA-256 of the canonical upload (one-shot): same runId + same hash is a no-op, another hash a conflict. */
  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/)
  contentHash?: string;
}

export interface StartRunReply {
  /** `duplicate`: the same upload was already stored; its summary is in `run`. */
  outcome: 'created' | 'resumed' | 'duplicate';
  run: RunView;
}

/**
 * A batch on the transport (gateway → data-aggregation). Its results were validated as
 * TestResultDto by the gateway, the only producer, so the receiver checks the envelope and the
 * batch size but does not validate and transform each result again: that doubled the CPU cost of
 * ingestion (class-validator was a third of data-aggregation's CPU time in bench:ingest).
 */
export class AppendBatchMessage {
  @IsString()
  @Matches(PROJECT_KEY_RULE, { message: 'project must be a project key' })
  project: string;

  @IsString()
  @Matches(RUN_ID_RULE)
  runId: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  batch?: number;

  @IsArray()
  @ArrayMaxSize(RESULT_LIMITS.batch)
  @IsObject({ each: true })
  results: TestResultDto[];
}

export interface AppendBatchReply {
  /** Results stored by this call; a re-sent batch stores none. */
  stored: number;
  /** Live counts of the run so far. */
  summary: RunSummary;
}

export class RunRefMessage {
  @IsString()
  @Matches(PROJECT_KEY_RULE)
  project: string;

  @IsString()
  @Matches(RUN_ID_RULE)
  runId: string;
}

export class FinishRunMessage extends RunRefMessage {
  @IsOptional() @IsISO8601({ strict: true }) finishedAt?: string;
}

export class RunResultsMessage extends ResultsQueryDto {
  @IsString()
  @Matches(RUN_ID_RULE)
  runId: string;
}

export interface StoredResultView {
  testId: string;
  suite: string;
  name: string;
  file?: string;
  status: ResultStatus;
  flaky: boolean;
  durationMs: number;
  attempts: Array<{ status: ResultStatus; durationMs: number; message?: string }>;
  error?: { type?: string; message?: string; stack?: string; fingerprint: string };
  tags: string[];
  systemOut?: string;
  systemErr?: string;
}

/** Payloads of EXECUTION_EVENTS. */
export interface ExecutionEvent {
  project: string;
  runId: string;
  status: RunState;
  summary: RunSummary;
  branch?: string;
  /** When the run started (ISO), as stored; absent in events of data-aggregation before it had it. */
  startedAt?: string;
}

export interface MetricsUpdatedEvent {
  project: string;
  day: string;
  /** `_id`s of the MetricSnapshot buckets this run changed. */
  keys: string[];
}

/** Owned by data-aggregation: how long raw results of a project are kept (rollups stay longer). */
export const RETENTION_PATTERNS = {
  get: 'data-aggregation.retention.get',
  set: 'data-aggregation.retention.set',
} as const;

export class RetentionDto {
  @ApiProperty({ minimum: 1, maximum: 3650, description: 'Days raw results are kept' })
  @IsInt()
  @Min(1)
  @Max(3650)
  rawResultDays: number;
}

export class SetRetentionMessage extends RetentionDto {
  @IsString()
  @Matches(PROJECT_KEY_RULE)
  project: string;
}

export interface RetentionView {
  project: string;
  rawResultDays: number;
  /** True when the project uses the service default. */
  isDefault: boolean;
}
