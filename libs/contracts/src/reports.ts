import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RESULT_STATUSES, ResultStatus } from '@testpulse/domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ANALYTICS_LIMITS } from './analytics';
import { RUN_ID_RULE } from './executions';
import { DAY_RULE } from './history';
import { PROJECT_KEY_RULE } from './projects';

/** What report-generation answers (the gateway exposes them under /reports). */
export const REPORT_PATTERNS = {
  templates: 'report-generation.templates',
  generate: 'report-generation.generate',
  get: 'report-generation.get',
  /** Computes a report's body into the cache without storing a report (cache warming). */
  warm: 'report-generation.warm',
} as const;

export const REPORT_TEMPLATE_IDS = [
  'executive-summary',
  'flaky-tests',
  'failure-drilldown',
  'slowest-tests',
  'trends',
  'run-comparison',
] as const;
export type ReportTemplateId = (typeof REPORT_TEMPLATE_IDS)[number];

export const REPORT_FILTER_FIELDS = [
  'projects',
  'branch',
  'environment',
  'suites',
  'tags',
  'statuses',
  'from',
  'to',
  'days',
  'runA',
  'runB',
] as const;
export type ReportFilterField = (typeof REPORT_FILTER_FIELDS)[number];

export const REPORT_LIMITS = {
  /** Projects in one report. */
  projects: 20,
  /** Rows of one section: longer lists are cut and the section says so (`capped`, `total`). */
  sectionItems: 100,
  /** Latest runs per project a failure drill-down opens. */
  drilldownRuns: 5,
  /** Characters of an error message / stack kept in a drill-down row. */
  errorMessage: 2000,
  errorStack: 4000,
  suites: 50,
  tags: 50,
} as const;

/** A template as data: what it shows and which filter fields it reads. */
export interface ReportTemplateView {
  id: ReportTemplateId;
  title: string;
  description: string;
  /** Filter fields the template needs. */
  required: ReportFilterField[];
  /** Every filter field the template reads (a field outside this list is refused with 400). */
  filters: ReportFilterField[];
  /** Whether one report may span several projects. */
  multiProject: boolean;
}

const WINDOW: ReportFilterField[] = ['from', 'to', 'days'];

export const REPORT_TEMPLATES: readonly ReportTemplateView[] = [
  {
    id: 'executive-summary',
    title: 'Executive summary',
    description:
      'Per project: runs, executions and pass rate of the window, quality score, flaky and broken tests, ' +
      'pass-rate direction and the largest failure clusters.',
    required: ['projects'],
    filters: ['projects', 'branch', 'environment', ...WINDOW],
    multiProject: true,
  },
  {
    id: 'flaky-tests',
    title: 'Flaky tests',
    description: 'Tests that pass and fail without a code change, the most flaky first, with the evidence.',
    required: ['projects'],
    filters: ['projects', 'branch', 'suites', ...WINDOW],
    multiProject: true,
  },
  {
    id: 'failure-drilldown',
    title: 'Failure drill-down',
    description:
      'The latest runs matching the filter → their failed tests → attempts, error and stack trace.',
    required: ['projects'],
    filters: ['projects', 'branch', 'environment', 'suites', 'tags', 'statuses', ...WINDOW],
    multiProject: true,
  },
  {
    id: 'slowest-tests',
    title: 'Slowest tests and duration regressions',
    description: 'Duration percentiles, the slowest tests by p95 and tests whose latest run got much slower.',
    required: ['projects'],
    filters: ['projects', 'suites', ...WINDOW],
    multiProject: true,
  },
  {
    id: 'trends',
    title: 'Trend report',
    description:
      'Daily pass rate with confidence intervals, its slope, anomalous days and durations, per project ' +
      '(and per suite when suites are given).',
    required: ['projects'],
    filters: ['projects', 'suites', ...WINDOW],
    multiProject: true,
  },
  {
    id: 'run-comparison',
    title: 'Run comparison',
    description:
      'Run A against run B of one project: new failures, fixed, still failing, new and removed tests.',
    required: ['projects', 'runA', 'runB'],
    filters: ['projects', 'runA', 'runB', 'suites'],
    multiProject: false,
  },
];

/** Which tests, runs and days a report covers. Every field but `projects` is optional. */
export class ReportFilterDto {
  @ApiProperty({
    type: [String],
    example: ['checkout'],
    description: 'Project keys; the caller must belong to each',
  })
  @IsArray()
  @ArrayMinSize(1, { message: 'projects must name at least one project' })
  @ArrayMaxSize(REPORT_LIMITS.projects)
  @Matches(PROJECT_KEY_RULE, { each: true, message: 'projects must hold project keys' })
  projects: string[];

  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(300) branch?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) environment?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(REPORT_LIMITS.suites)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(1000, { each: true })
  suites?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(REPORT_LIMITS.tags)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(200, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ enum: RESULT_STATUSES, isArray: true, description: 'Result statuses to drill into' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(RESULT_STATUSES, { each: true, message: `statuses must hold ${RESULT_STATUSES.join(', ')}` })
  statuses?: ResultStatus[];

  @ApiPropertyOptional({ example: '2025-01-01', description: 'First UTC day (YYYY-MM-DD)' })
  @IsOptional()
  @IsString()
  @Matches(DAY_RULE, { message: 'from must be a day YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ example: '2025-01-31', description: 'Last UTC day (YYYY-MM-DD, default today)' })
  @IsOptional()
  @IsString()
  @Matches(DAY_RULE, { message: 'to must be a day YYYY-MM-DD' })
  to?: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: ANALYTICS_LIMITS.maxDays,
    default: ANALYTICS_LIMITS.defaultDays,
    description: 'The last `days` UTC days up to today (instead of from/to)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(ANALYTICS_LIMITS.maxDays)
  days?: number;

  @ApiPropertyOptional({ description: 'run-comparison: the baseline run' })
  @IsOptional()
  @IsString()
  @Matches(RUN_ID_RULE, { message: 'runA must be a run id' })
  runA?: string;

  @ApiPropertyOptional({ description: 'run-comparison: the run compared with the baseline' })
  @IsOptional()
  @IsString()
  @Matches(RUN_ID_RULE, { message: 'runB must be a run id' })
  runB?: string;
}

/** POST /reports/generate */
export class GenerateReportDto {
  @ApiProperty({ enum: REPORT_TEMPLATE_IDS })
  @IsIn(REPORT_TEMPLATE_IDS, {
    message: ({ value }) =>
      `template '${String(value)}' is unknown; templates: ${REPORT_TEMPLATE_IDS.join(', ')}`,
  })
  template: ReportTemplateId;

  @ApiProperty({ type: ReportFilterDto })
  @IsDefined({ message: 'filter is required' })
  @ValidateNested()
  @Type(() => ReportFilterDto)
  filter: ReportFilterDto;

  @ApiPropertyOptional({ description: "Default: the template's title" })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title?: string;
}

/** gateway → report-generation: a report to build for `createdBy`. */
export class GenerateReportMessage extends GenerateReportDto {
  @IsString() @MinLength(1) @MaxLength(100) createdBy: string;
}

/** cache-management → report-generation: compute the body of this report into the cache. */
export class WarmReportMessage {
  @IsIn(REPORT_TEMPLATE_IDS) template: ReportTemplateId;

  @IsDefined()
  @ValidateNested()
  @Type(() => ReportFilterDto)
  filter: ReportFilterDto;
}

export interface WarmReportReply {
  /** Whether the body was in the cache already. */
  cached: boolean;
}

/** GET /reports/{id} */
export class ReportIdDto {
  @ApiProperty({ description: 'The id of a generated report' })
  @IsString()
  @Matches(/^[A-Za-z0-9-]{1,64}$/, { message: 'id must be a report id' })
  id: string;
}

/**
 * gateway → report-generation: read a report. With `member`, that user must belong to every project
 * of the report (403 otherwise); the gateway leaves it out for roles that may see every project.
 */
export class GetReportMessage extends ReportIdDto {
  @IsOptional() @IsString() @MaxLength(100) member?: string;
}

export type ReportCell = string | number | boolean | null;

/**
 * One part of a report: key figures and a table. Every template is built of sections, so a client or an
 * export can render any report without knowing its template.
 */
export interface ReportSectionView {
  /** Stable within a report, e.g. `flaky:checkout`. */
  key: string;
  title: string;
  project?: string;
  figures: Record<string, ReportCell>;
  /** At most REPORT_LIMITS.sectionItems rows. */
  items: Array<Record<string, unknown>>;
  /** Rows before the cap. */
  total: number;
  /** True when `items` holds only the first REPORT_LIMITS.sectionItems of `total`. */
  capped: boolean;
  notes?: string[];
}

export interface ReportView {
  id: string;
  template: ReportTemplateId;
  title: string;
  filter: ReportFilterDto;
  projects: string[];
  createdBy: string;
  createdAt: string;
  /**
   * When the figures were computed: earlier than `createdAt` when the body came from the cache
   * (nothing was ingested for its projects since).
   */
  computedAt: string;
  /** The days the report covers (absent for a run comparison). */
  window?: { from: string; to: string };
  sections: ReportSectionView[];
  /** What the reader should know about how the figures were computed. */
  notes: string[];
}
