import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fleet, findRepoRoot } from './fleet';

describe('findRepoRoot', () => {
  it('finds this repository from the harness sources', () => {
    expect(findRepoRoot(__dirname)).toBe(join(__dirname, '..', '..', '..'));
  });

  it('finds the nearest directory with nx.json and package.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-root-'));
    try {
      writeFileSync(join(dir, 'nx.json'), '{}');
      writeFileSync(join(dir, 'package.json'), '{}');
      mkdirSync(join(dir, 'dist', 'libs', 'testing', 'src'), { recursive: true });
      expect(findRepoRoot(join(dir, 'dist', 'libs', 'testing', 'src'))).toBe(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Fleet.start argument checks', () => {
  const env = { REDIS_URL: 'redis://127.0.0.1:1', MONGO_URL: 'mongodb://127.0.0.1:1' };

  it('needs REDIS_URL and MONGO_URL', async () => {
    await expect(Fleet.start({ env: { REDIS_URL: 'redis://x' }, logDir: tmpdir() })).rejects.toThrow(
      'options.env.MONGO_URL is required',
    );
  });

  it('rejects unknown apps', async () => {
    await expect(Fleet.start({ env, apps: ['nope' as never], logDir: tmpdir() })).rejects.toThrow(
      /Unknown app/,
    );
  });

  it('rejects the same port for two apps', async () => {
    await expect(
      Fleet.start({
        env,
        apps: ['gateway', 'alert-management'],
        ports: { 'alert-management': 4000 },
        gatewayPort: 4000,
        logDir: tmpdir(),
      }),
    ).rejects.toThrow(/same port/);
  });

  it('says when the apps are not built', async () => {
    const rootDir = mkdtempSync(join(tmpdir(), 'fleet-unbuilt-'));
    try {
      await expect(Fleet.start({ env, apps: ['gateway'], logDir: rootDir, rootDir })).rejects.toThrow(
        /not built: .*dist\/libs\/testing\/src\/parent-watchdog\.js, .*dist\/apps\/gateway\/src\/main\.js \(run node scripts\/build\.mjs\)/,
      );
    } finally {
      rmSync(rootDir, { recursive: true, force: true });
    }
  });
});
