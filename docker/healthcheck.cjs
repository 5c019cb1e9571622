// Container HEALTHCHECK of every testpulse image (docker/Dockerfile, docker/compose.yml).
// Asks the app's own probe endpoint with Node's fetch and exits 0 on a 2xx answer, 1 otherwise.
// The port follows the app's env: GATEWAY_PORT for the gateway, HEALTH_PORT for the services,
// each with the app's default when unset. Usage: node docker/healthcheck.cjs [/health/ready]
'use strict';

const DEFAULT_PORTS = {
  gateway: 3000,
  'data-aggregation': 3101,
  'analytics-engine': 3102,
  'report-generation': 3103,
  'cache-management': 3104,
  'dashboard-orchestration': 3105,
  'alert-management': 3106,
  'export-integration': 3107,
  'user-preferences': 3108,
};

const app = process.env.APP ?? '';
if (!(app in DEFAULT_PORTS)) {
  console.error(`healthcheck: APP must be one of ${Object.keys(DEFAULT_PORTS).join(', ')}, got '${app}'`);
  process.exit(1);
}
const fromEnv = app === 'gateway' ? process.env.GATEWAY_PORT : process.env.HEALTH_PORT;
const port = Number(fromEnv || DEFAULT_PORTS[app]);
const path = process.argv[2] || '/health/ready';

fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(4000) }).then(
  (res) => {
    if (!res.ok) console.error(`healthcheck: ${path} on :${port} answered ${res.status}`);
    process.exit(res.ok ? 0 : 1);
  },
  (err) => {
    console.error(`healthcheck: ${path} on :${port} failed: ${err.message}`);
    process.exit(1);
  },
);
