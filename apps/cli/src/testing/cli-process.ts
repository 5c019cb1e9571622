import { spawn, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

/*
 * For the process-level specs: runs the built CLI as a user would. Not part of the CLI itself (nothing
 * in main.ts imports it).
 */

export const ROOT = resolve(__dirname, '../../../..');
export const CORPUS = resolve(ROOT, '../shared/corpus');
const MAIN = join(ROOT, 'dist/apps/cli/src/main.js');

/** Builds dist/ when the CLI there is missing or stale (the launcher's check, under its lock). */
export function ensureBuilt(): void {
  const result = spawnSync(process.execPath, [join(ROOT, 'apps/cli/bin/cli.mjs'), '--version'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`building the CLI failed: ${result.stderr}`);
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Variables of CI systems that would change the CLI's defaults: never passed to the child. */
const CI_VARIABLE =
  /^(CI|GITHUB_|GITLAB_|CI_|BUILD_|BUILDKITE|CIRCLE|TRAVIS|BITBUCKET|SYSTEM_|JENKINS|GIT_|BRANCH_NAME|TESTPULSE_)/;

/** Runs `node dist/apps/cli/src/main.js ...args` asynchronously (a server in this process can answer). */
export function runCli(args: string[], env: Record<string, string> = {}, input?: string): Promise<CliRun> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !CI_VARIABLE.test(key)));
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: ROOT, env: { ...base, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** Runs tasks with at most `limit` at a time. */
export async function inBatches<T, R>(
  items: T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
