export { generateHistory } from './history';
export type {
  DemoHistory,
  DemoProject,
  DemoRun,
  DemoRunPlan,
  GenerateHistoryOptions,
  RunTrigger,
} from './history';
export { TEST_LABELS } from './catalogue';
export type { DemoTest, TestLabel } from './catalogue';
export { DEMO_PROJECT_KEYS } from './profiles';
export type { Language, TestKind } from './profiles';
export { ERROR_CLUSTERS } from './errors';
export type { ClusterRole } from './errors';
export { Rng, mulberry32, hashSeed } from './random';
