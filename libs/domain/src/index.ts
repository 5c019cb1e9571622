export {
  RESULT_STATUSES,
  worstStatus,
  isFlaky,
  emptySummary,
  addToSummary,
  addSummaries,
  summarize,
} from './results';
export type { ResultStatus, Attempt, ResultError, TestResult, RunSummary } from './results';
export { testId } from './test-id';
export { failureFingerprint, normalizeFailureText, topStackFrames } from './fingerprint';
export type { FailureFingerprint } from './fingerprint';
export { HISTOGRAM_BUCKETS, durationBucket, bucketBounds } from './histogram';
export {
  OUTCOME_BYTES,
  FAILURE_BYTES,
  packOutcomes,
  unpackOutcomes,
  outcomeCount,
  decodeOutcomeColumns,
  testIdOfKey,
  testKeyAt,
  sameTestId,
} from './run-outcomes';
export type { TestOutcome, PackedOutcomes, OutcomeColumns } from './run-outcomes';
export { packStates, decodeStates } from './run-states';
export type { TestState, PackedStates, StateColumns } from './run-states';
export { GRID_COLUMNS, BREAKPOINTS, packLayout, layoutsForBreakpoints, placeNewItem } from './grid-layout';
export type { GridItem, BreakpointName } from './grid-layout';
