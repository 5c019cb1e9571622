export { Fleet, findRepoRoot } from './fleet';
export type { FleetOptions, AppExit } from './fleet';
export { FLEET_APPS, SERVICE_APPS, DEFAULT_PORTS, isFleetApp, isServiceApp, resolveFleetApps } from './apps';
export type { FleetApp, ServiceApp } from './apps';
export { request } from './api';
export type { ApiResponse, RequestOptions } from './api';
export { buildAppEnv, uniqueDbPrefix } from './env';
export { pickFreePorts, isPortFree } from './ports';
export { LineSplitter, TailBuffer, formatTail } from './log-lines';
