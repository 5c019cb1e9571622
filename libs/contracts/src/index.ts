export { SERVICE_NAMES, HEALTH_PATTERNS } from './services';
export type { ServiceName, ServiceHealthReply } from './services';
export { ROLES } from './roles';
export type { Role } from './roles';
export { PageQueryDto, DEFAULT_PAGE_SIZE } from './paging';
export type { Page } from './paging';
export {
  USER_PATTERNS,
  USERNAME_RULE,
  UsernameDto,
  CreateUserDto,
  VerifyCredentialsDto,
  UserView,
} from './users';
export {
  PROJECT_PATTERNS,
  PROJECT_KEY_RULE,
  ProjectKeyDto,
  CreateProjectDto,
  ProjectMemberDto,
  CheckProjectAccessDto,
  ProjectListQueryDto,
  ProjectView,
  ProjectMemberView,
} from './projects';
export type { ProjectAccessReply } from './projects';
export { AUDIT_PATTERNS, AUDIT_EVENTS, AuditRecordDto, AuditQueryDto } from './audit';
export {
  INGEST_TOKEN_PATTERNS,
  INGEST_TOKEN_PREFIX,
  INGEST_TOKEN_ID_RULE,
  INGEST_TOKEN_RULE,
  INGEST_TOKEN_MAX_DAYS,
  CreateIngestTokenDto,
  IngestTokenProjectQueryDto,
  IngestTokenListQueryDto,
  IngestTokenIdDto,
  RevokeIngestTokenDto,
  VerifyIngestTokenDto,
  IngestTokenView,
  CreatedIngestTokenView,
} from './ingest-tokens';
export type { IngestTokenIdentity } from './ingest-tokens';
export {
  EXECUTION_PATTERNS,
  EXECUTION_EVENTS,
  RUN_ID_RULE,
  RUN_STATES,
  RESULT_LIMITS,
  INGEST_FORMATS,
  AttemptDto,
  ResultErrorDto,
  TestResultDto,
  RunMetadataDto,
  CreateExecutionDto,
  AppendResultsDto,
  FinishExecutionDto,
  ExecutionListQueryDto,
  ResultsQueryDto,
  StartRunMessage,
  AppendBatchMessage,
  RunRefMessage,
  FinishRunMessage,
  RunResultsMessage,
  RETENTION_PATTERNS,
  RetentionDto,
  SetRetentionMessage,
} from './executions';
export type {
  RunState,
  RunView,
  IngestFormat,
  IngestReply,
  StartRunReply,
  AppendBatchReply,
  StoredResultView,
  ExecutionEvent,
  MetricsUpdatedEvent,
  RetentionView,
} from './executions';
export {
  HISTORY_PATTERNS,
  DAY_RULE,
  OUTCOMES_PER_REQUEST,
  ROLLUP_SCOPES,
  HistoryWindowMessage,
  RunOutcomesMessage,
  CatalogueMessage,
  CATALOGUE_ORDINALS_PER_REQUEST,
  DailyRollupsMessage,
  FailureExampleMessage,
} from './history';
export type {
  RunHeader,
  PackedRunOutcomesView,
  RunStatesView,
  CatalogueTestView,
  RollupScope,
  DayBucketView,
  FailureExampleView,
  FailureFingerprintsView,
} from './history';
export {
  ANALYTICS_PATTERNS,
  ANALYTICS_LIMITS,
  AnalysisWindowDto,
  FlakinessRequestDto,
  PatternsRequestDto,
  SuiteWindowQueryDto,
} from './analytics';
export type {
  FlakinessClass,
  FlakyTestView,
  FlakinessView,
  WilsonView,
  TrendDayView,
  SlopeView,
  TrendsView,
  WindowTotalsView,
  DurationStatsView,
  DurationRegressionView,
  MetricsView,
  QualityComponentView,
  QualityScoreView,
  FailureClusterView,
  PatternsView,
} from './analytics';
export {
  REPORT_PATTERNS,
  REPORT_TEMPLATE_IDS,
  REPORT_FILTER_FIELDS,
  REPORT_LIMITS,
  REPORT_TEMPLATES,
  ReportFilterDto,
  GenerateReportDto,
  GenerateReportMessage,
  ReportIdDto,
  GetReportMessage,
  WarmReportMessage,
} from './reports';
export type {
  ReportTemplateId,
  ReportFilterField,
  ReportTemplateView,
  ReportCell,
  ReportSectionView,
  ReportView,
  WarmReportReply,
} from './reports';
export {
  ACCESS_CACHE_NAMESPACE,
  CACHE_NAMESPACES,
  CACHE_PATTERNS,
  InvalidateCacheDto,
  WarmCacheDto,
} from './cache';
export type {
  CacheNamespace,
  InvalidateCacheView,
  WarmedEntryView,
  WarmCacheView,
  CacheCountersView,
  NamespaceStatsView,
  CacheInstanceStatsView,
  CacheStatsView,
} from './cache';
export {
  USAGE_PATTERNS,
  USAGE_EVENTS,
  USAGE_KINDS,
  USAGE_LIMITS,
  UsageRecordDto,
  UsageRecordedEvent,
  UsageTopQueryDto,
} from './usage';
export type { UsageKind, UsageTopEntryView } from './usage';
export {
  DASHBOARD_ID_RULE,
  DIGESTS,
  DefaultFiltersDto,
  GetPreferencesMessage,
  MostUsedQueryDto,
  NOTIFICATION_SEVERITIES,
  NotificationSettingsDto,
  PREFERENCE_LIMITS,
  PREFERENCE_PATTERNS,
  PreferencesInputDto,
  PutPreferencesMessage,
  THEMES,
} from './preferences';
export type {
  Digest,
  NotificationSeverity,
  PreferenceTemplateView,
  PreferenceValues,
  PreferencesView,
  Theme,
} from './preferences';
