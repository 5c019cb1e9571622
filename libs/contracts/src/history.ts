import { RunSummary } from '@testpulse/domain';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
} from 'class-validator';
import { RUN_ID_RULE, RunState } from './executions';
import { PROJECT_KEY_RULE } from './projects';

/**
 * Reads of stored history that data-aggregation answers for the services that compute
 * (analytics-engine, report-generation): they never read its collections.
 */
export const HISTORY_PATTERNS = {
  /** Finished runs of a project in a window of UTC days (optionally one branch), oldest first. */
  runs: 'data-aggregation.history.runs',
  /** The packed per-test outcomes of some runs (see packOutcomes in @testpulse/domain). */
  outcomes: 'data-aggregation.history.outcomes',
  /** Finished runs of a window with their packed test states (see packStates in @testpulse/domain). */
  states: 'data-aggregation.history.states',
  /** Every test of a project: testId, ordinal, suite, name, file, first seen. */
  catalogue: 'data-aggregation.history.catalogue',
  /** Daily rollup buckets of a project, or of its suites, in a window of days. */
  days: 'data-aggregation.history.days',
  /** The fingerprints of the failures of a window of days. */
  fingerprints: 'data-aggregation.history.failure-fingerprints',
  /** One stored failure with this fingerprint in a run (message, stack), for an example. */
  failureExample: 'data-aggregation.history.failure-example',
} as const;

/** UTC day, YYYY-MM-DD. */
export const DAY_RULE = /^\d{4}-\d{2}-\d{2}$/;
/** Runs per outcomes request: a message stays a few MB at 5,000 tests per run. */
export const OUTCOMES_PER_REQUEST = 20;

/** Runs a states request may name as held by the caller. */
export const KNOWN_RUNS_PER_REQUEST = 20_000;

export class HistoryWindowMessage {
  @IsString() @Matches(PROJECT_KEY_RULE) project: string;
  @IsString() @Matches(DAY_RULE) from: string;
  @IsString() @Matches(DAY_RULE) to: string;
  @IsOptional() @IsString() @MaxLength(300) branch?: string;
  /**
   * States requests only: runIds whose states the caller holds already (a finished run's states
   * never change); their entries come without states, failures and examples.
   */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(KNOWN_RUNS_PER_REQUEST)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  known?: string[];
}

export interface RunHeader {
  runId: string;
  day: string;
  startedAt: string;
  finishedAt?: string;
  status: RunState;
  branch?: string;
  commit?: string;
  environment?: string;
  summary: RunSummary;
}

export class RunOutcomesMessage {
  @IsString() @Matches(PROJECT_KEY_RULE) project: string;
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(OUTCOMES_PER_REQUEST)
  @Matches(RUN_ID_RULE, { each: true })
  runIds: string[];
}

/** A run's packed outcomes, base64, one entry per stored part (a run of over 100,000 has several). */
export interface PackedRunOutcomesView {
  runId: string;
  /** Executions of the whole run, and how many failed or errored. */
  tests: number;
  failing: number;
  parts: Array<{ outcomes: string; failures: string }>;
}

/** A run with its test states packed, base64 (`states` and `failures` of packStates). */
export interface RunStatesView extends RunHeader {
  /** Executions of the whole run, and how many failed or errored. */
  tests: number;
  failing: number;
  /** Base64 packed states and failures. */
  states: string;
  failures: string;
  /** `[fingerprint, result _id]`: one stored result per failure fingerprint of the run. */
  examples: Array<[string, string]>;
}

/**
 * A run of the window that the request named as known (the caller holds it: a finished run never
 * changes), by id only.
 */
export interface KnownRunView {
  runId: string;
  known: true;
}

/** The answer to a states request: the window's runs, oldest first. */
export type WindowRunView = RunStatesView | KnownRunView;

/** Tests per catalogue request that names them by ordinal. */
export const CATALOGUE_ORDINALS_PER_REQUEST = 10_000;

export class CatalogueMessage {
  @IsString() @Matches(PROJECT_KEY_RULE) project: string;
  /** Only these tests (catalogue ordinals); default every test of the project. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(CATALOGUE_ORDINALS_PER_REQUEST)
  @IsInt({ each: true })
  @Min(0, { each: true })
  ordinals?: number[];
}

export interface CatalogueTestView {
  testId: string;
  /** The test's number in its project, as packed run states name it. */
  ordinal: number;
  suite: string;
  name: string;
  file?: string;
  firstSeen: string;
}

export const ROLLUP_SCOPES = ['project', 'suite'] as const;
export type RollupScope = (typeof ROLLUP_SCOPES)[number];

export class DailyRollupsMessage extends HistoryWindowMessage {
  @IsIn(ROLLUP_SCOPES) scope: RollupScope;
}

/** One day's counters of a project (key '') or a suite (key = suite name). */
export interface DayBucketView {
  day: string;
  scope: RollupScope;
  key: string;
  runs: number;
  tests: number;
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
  flaky: number;
  durationCount: number;
  durationSum: number;
  durationMin?: number;
  durationMax?: number;
  /** Log2 duration histogram: `h<i>` → count (see durationBucket in @testpulse/domain). */
  hist: Record<string, number>;
}

export interface FailureFingerprintsView {
  fingerprints: string[];
  /** False when some day's runs were rolled up before days kept their fingerprints. */
  complete: boolean;
}

export class FailureExampleMessage {
  @IsString() @Matches(PROJECT_KEY_RULE) project: string;
  @IsString() @Matches(RUN_ID_RULE) runId: string;
  @IsString() @Matches(/^[0-9a-f]{16}$/) fingerprint: string;
  /** The stored result to show, when the run's states name one (else the run's results are searched). */
  @IsOptional() @IsString() @MaxLength(1000) resultId?: string;
}

export interface FailureExampleView {
  runId: string;
  testId: string;
  suite: string;
  name: string;
  status: 'failed' | 'errored';
  error: { type?: string; message?: string; stack?: string };
}
