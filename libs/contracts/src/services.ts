/** The eight services behind the gateway. Their names prefix every message pattern they own. */
export const SERVICE_NAMES = [
  'data-aggregation',
  'analytics-engine',
  'report-generation',
  'cache-management',
  'dashboard-orchestration',
  'alert-management',
  'export-integration',
  'user-preferences',
] as const;

export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Request/response pattern every service answers for liveness over the transport. */
export const HEALTH_PATTERNS = {
  'data-aggregation': 'data-aggregation.health',
  'analytics-engine': 'analytics-engine.health',
  'report-generation': 'report-generation.health',
  'cache-management': 'cache-management.health',
  'dashboard-orchestration': 'dashboard-orchestration.health',
  'alert-management': 'alert-management.health',
  'export-integration': 'export-integration.health',
  'user-preferences': 'user-preferences.health',
} as const satisfies Record<ServiceName, string>;

export interface ServiceHealthReply {
  service: ServiceName;
  status: 'up';
  uptimeSeconds: number;
  pid: number;
}
