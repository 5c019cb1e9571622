export { loadEnv, loadEnvOrExit, EnvValidationError } from './load-env';
export { CommonEnv, ServiceEnv, NODE_ENVS, LOG_LEVELS } from './common-env';
export type { NodeEnv, LogLevel } from './common-env';
