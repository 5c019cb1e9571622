/**
 * JUnit XML and CTRF uploads end to end: every corpus file reproduces its totals through the API
 * (and agrees with the CLI's offline parse), hostile and malformed XML is refused with nothing stored.
 */
import { Fleet, request } from '@testpulse/testing';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const CORPUS = join(ROOT, '..', 'shared', 'corpus');
const ADMIN = { username: 'upload-admin', password: 'upload-admin-password' };
const prefix = `uploads_${Date.now().toString(36)}`;
const PROJECT = 'corpus';

interface Expected {
  file: string;
  tests: number;
  passed?: number;
  failed?: number;
  skipped?: number;
}

function requiredEnv(name: 'REDIS_URL' | 'MONGO_URL'): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set: run the end-to-end tests through npm test`);
  return value;
}

const cliParse = (file: string) =>
  JSON.parse(
    execFileSync(process.execPath, [join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js'), 'parse', file], {
      encoding: 'utf8',
    }),
  );

const runIdOf = (file: string) => file.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 150);

describe('uploads', () => {
  let fleet: Fleet;
  let token: string;
  const api = (method: string, path: string, options?: Parameters<typeof request>[3]) =>
    request(fleet.gatewayUrl, method, path, { token, ...options });
  const raw = (path: string, body: string | Buffer, contentType: string) =>
    fetch(`${fleet.gatewayUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      body,
    }).then(async (res) => ({ status: res.status, body: JSON.parse((await res.text()) || '{}') }));

  beforeAll(async () => {
    fleet = await Fleet.start({
      logDir: join(ROOT, '.data', 'test', 'logs', prefix),
      env: {
        NODE_ENV: 'test',
        REDIS_URL: requiredEnv('REDIS_URL'),
        MONGO_URL: requiredEnv('MONGO_URL'),
        MONGO_DB_PREFIX: prefix,
        JWT_SECRET: 'uploads-e2e-secret-0123456789abcdef0123456789',
        ADMIN_USERNAME: ADMIN.username,
        ADMIN_PASSWORD: ADMIN.password,
        INGEST_BODY_LIMIT: '4mb',
        RATE_LIMIT_PER_MINUTE: '100000',
      },
    });
    token = (await request(fleet.gatewayUrl, 'POST', '/api/v1/auth/login', { body: ADMIN })).body.accessToken;
    expect((await api('POST', '/api/v1/projects', { body: { key: PROJECT, name: 'Corpus' } })).status).toBe(
      201,
    );
  }, 120_000);

  afterAll(async () => {
    await fleet?.stop();
  });

  const expected: Expected[] = JSON.parse(readFileSync(join(CORPUS, 'junit', 'expected.json'), 'utf8'));

  it.each(expected.map((e) => [e.file, e] as const))('reproduces the totals of %s', async (file, totals) => {
    const path = join(CORPUS, file);
    const res = await raw(
      `/api/v1/executions/junit?project=${PROJECT}&runId=${runIdOf(file)}&branch=main`,
      readFileSync(path),
      'application/xml',
    );
    expect(res.status).toBe(201);
    const { summary } = res.body;
    expect(summary.tests).toBe(totals.tests);
    if (totals.tests > 0) {
      expect(summary.failed + summary.errored).toBe(totals.failed);
      expect(summary.skipped).toBe(totals.skipped);
      expect(summary.passed).toBe(totals.passed);
    }
    const offline = cliParse(path);
    expect(summary).toEqual(
      expect.objectContaining({
        tests: offline.tests,
        passed: offline.passed,
        failed: offline.failed,
        errored: offline.errored,
        skipped: offline.skipped,
        flaky: offline.flaky,
      }),
    );
  });

  const ctrfFiles = readdirSync(join(CORPUS, 'ctrf')).filter(
    (f) => f.endsWith('.json') && !f.includes('schema'),
  );

  it.each(ctrfFiles)('reproduces the CTRF summary of %s', async (file) => {
    const path = join(CORPUS, 'ctrf', file);
    const report = JSON.parse(readFileSync(path, 'utf8'));
    const res = await raw(
      `/api/v1/executions/ctrf?project=${PROJECT}&runId=ctrf-${runIdOf(file)}`,
      readFileSync(path),
      'application/json',
    );
    expect(res.status).toBe(201);
    const declared = report.results.summary;
    expect(res.body.summary.tests).toBe(declared.tests);
    expect(res.body.summary.passed).toBe(declared.passed);
    expect(res.body.summary.failed + res.body.summary.errored).toBe(declared.failed);
    const offline = cliParse(path);
    expect(res.body.summary).toEqual(
      expect.objectContaining({ skipped: offline.skipped, flaky: offline.flaky }),
    );
  });

  it('accepts several files as multipart and sums them into one run', async () => {
    const form = new FormData();
    for (const file of ['junit/jest-junit.xml', 'junit/python-xunit-pytest.xml']) {
      form.append(
        'files',
        new Blob([readFileSync(join(CORPUS, file))], { type: 'application/xml' }),
        file.split('/')[1],
      );
    }
    const res = await fetch(`${fleet.gatewayUrl}/api/v1/executions/junit?project=${PROJECT}&runId=multi-1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    const body = (await res.json()) as { summary: { tests: number } };
    expect(res.status).toBe(201);
    const parts = ['junit/jest-junit.xml', 'junit/python-xunit-pytest.xml'].map((f) =>
      cliParse(join(CORPUS, f)),
    );
    expect(body.summary.tests).toBe(parts[0].tests + parts[1].tests);
    // The same upload again changes nothing.
    const again = await api('GET', `/api/v1/executions/multi-1?project=${PROJECT}`);
    expect(again.body.summary.tests).toBe(body.summary.tests);
  });

  const refused = async (runId: string, body: string | Buffer, status: number, message: RegExp) => {
    const res = await raw(
      `/api/v1/executions/junit?project=${PROJECT}&runId=${runId}`,
      body,
      'application/xml',
    );
    expect(res.status).toBe(status);
    expect(res.body.message).toMatch(message);
    expect((await api('GET', `/api/v1/executions/${runId}?project=${PROJECT}`)).status).toBe(404);
  };

  it('refuses an entity bomb without expanding it', async () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<testsuite name="s"><testcase name="&lol2;"/></testsuite>`;
    await refused('bomb-1', bomb, 400, /DTD|DOCTYPE/i);
  });

  it('refuses an external entity (XXE)', async () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><testsuite name="&x;"/>`;
    await refused('xxe-1', xxe, 400, /DTD|DOCTYPE/i);
  });

  it('refuses malformed XML naming line and column', async () => {
    await refused(
      'malformed-1',
      '<testsuite name="s">\n  <testcase name="a">\n</testsuite>',
      400,
      /line \d+, column \d+/,
    );
  });

  it('refuses an oversized report with 413', async () => {
    const cases = Array.from(
      { length: 80_000 },
      (_, i) => `<testcase classname="c" name="test number ${i}" time="0.1"/>`,
    );
    await refused('big-1', `<testsuite name="s">${cases.join('')}</testsuite>`, 413, /limit/);
  });

  it('refuses a malformed CTRF report naming the field', async () => {
    const res = await raw(
      `/api/v1/executions/ctrf?project=${PROJECT}&runId=bad-ctrf`,
      JSON.stringify({
        results: { tool: { name: 'x' }, summary: {}, tests: [{ name: 'a', status: 'weird', duration: 1 }] },
      }),
      'application/json',
    );
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/tests\[0\]\.status/);
  });

  it('answers 404 for an unknown project before reading the report', async () => {
    const res = await raw('/api/v1/executions/junit?project=nope&runId=x', '<testsuite/>', 'application/xml');
    expect(res.status).toBe(404);
  });
});
