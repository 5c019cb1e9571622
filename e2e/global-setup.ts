// Makes `npm run test:e2e` work on its own. Builds dist/ (the fleet runs from it) when a source in apps/ or
// libs/ is newer than the last build, or always with E2E_BUILD=1, never with E2E_SKIP_BUILD=1 (npm test
// has just built). When REDIS_URL / MONGO_URL are not set, starts the test infrastructure (INFRA_PROFILE=
// test, left running afterwards) and uses its URLs.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

/** Newest modification time (ms) of the compiled sources (.ts, not .spec.ts / .d.ts) under `dir`. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/(?<!\.(spec|d))\.ts$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function needsBuild(): boolean {
  if (process.env.E2E_SKIP_BUILD === '1') return false;
  if (process.env.E2E_BUILD === '1') return true;
  // build.mjs recreates dist/ first, so its time is when the last build started.
  const dist = join(ROOT, 'dist');
  if (!existsSync(dist)) return true;
  const builtAt = statSync(dist).mtimeMs;
  return ['apps', 'libs'].some((dir) => newestSource(join(ROOT, dir)) > builtAt);
}

export default function globalSetup(): void {
  if (needsBuild()) {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  }
  if (process.env.REDIS_URL && process.env.MONGO_URL) return;
  execFileSync('bash', [join(ROOT, 'scripts', 'infra', 'up.sh')], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, INFRA_PROFILE: 'test' },
  });
  for (const line of readFileSync(join(ROOT, '.data', 'test', 'infra.env'), 'utf8').split('\n')) {
    const match = /^(REDIS_URL|MONGO_URL)=(.+)$/.exec(line.trim());
    if (match) process.env[match[1]] ??= match[2];
  }
  console.log(
    `e2e: using the test infrastructure (REDIS_URL=${process.env.REDIS_URL}, MONGO_URL=${process.env.MONGO_URL}); ` +
      'it keeps running: INFRA_PROFILE=test npm run infra:down stops it',
  );
}
