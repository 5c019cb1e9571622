export { wilsonInterval, tQuantile975, linearTrend, pChart, percentileFromHistogram, ewma } from './stats';
export type { RateInterval, LinearTrend, PChartPoint } from './stats';
export {
  classifyFlakiness,
  classifyWithoutFailures,
  DEFAULT_FLAKINESS_OPTIONS,
  FlakinessClassifier,
  flakinessRunColumns,
} from './flakiness';
export type {
  FlakinessExecution,
  FlakinessExecutionColumns,
  FlakinessRun,
  FlakinessRunColumns,
  FlakinessOptions,
  FlakinessClassification,
  FlakinessEvidence,
  FlakinessVerdict,
} from './flakiness';
export { durationRegression, DEFAULT_DURATION_REGRESSION_OPTIONS } from './durations';
export type { DurationRegression, DurationRegressionOptions } from './durations';
export { qualityScore, DEFAULT_QUALITY_OPTIONS } from './quality';
export type {
  QualityInputs,
  QualityOptions,
  QualityComponent,
  QualityComponentName,
  QualityScore,
} from './quality';
