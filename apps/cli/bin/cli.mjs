#!/usr/bin/env node
// `npm run cli -- …`: runs the CLI from dist/, building first (node scripts/build.mjs, its output on
// stderr) when dist/ has no CLI yet or is older than a source the CLI is made of. Concurrent launchers
// build once: the others wait for the build lock.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const entry = join(root, 'dist/apps/cli/src/main.js');
const SOURCES = ['apps/cli/src', 'libs/result-formats/src', 'libs/contracts/src', 'libs/domain/src'];
const LOCK = join(root, 'tmp/cli-build.lock');
const STALE_LOCK_MS = 120_000;

function newestSource() {
  let newest = statSync(join(root, 'tsconfig.base.json')).mtimeMs;
  const visit = (dir) => {
    for (const item of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, item.name);
      if (item.isDirectory()) visit(path);
      else if (item.name.endsWith('.ts') && !/\.(spec|test|d)\.ts$/.test(item.name)) {
        newest = Math.max(newest, statSync(path).mtimeMs);
      }
    }
  };
  for (const dir of SOURCES) if (existsSync(join(root, dir))) visit(join(root, dir));
  return newest;
}

function fresh() {
  return existsSync(entry) && statSync(entry).mtimeMs >= newestSource();
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function lock() {
  mkdirSync(dirname(LOCK), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS)
          rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // Removed meanwhile.
      }
      sleep(100);
    }
  }
}

if (!fresh()) {
  lock();
  let built = true;
  try {
    if (!fresh()) {
      const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], {
        cwd: root,
        stdio: ['ignore', 2, 2],
      });
      built = build.status === 0;
    }
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
  if (!built) {
    process.stderr.write('testpulse: building the CLI failed (node scripts/build.mjs)\n');
    process.exit(1);
  }
}

createRequire(import.meta.url)(entry).main();
