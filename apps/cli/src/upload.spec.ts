import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORPUS, ensureBuilt, runCli } from './testing/cli-process';

interface Seen {
  method?: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

type Handler = (seen: Seen, res: ServerResponse, count: number) => void;

const JUNIT_A = join(CORPUS, 'junit/jest-junit.xml');
const JUNIT_B = join(CORPUS, 'junit/python-xunit-pytest.xml');
const CTRF = join(CORPUS, 'ctrf/comprehensive.json');
const REPLY = { runId: 'r-1', project: 'shop', status: 'finished', summary: { tests: 6 } };

let server: Server;
let base: string;
let seen: Seen[] = [];
let handler: Handler;

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

beforeAll(async () => {
  ensureBuilt();
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const request: Seen = {
        method: req.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      seen.push(request);
      handler(request, res, seen.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(() => new Promise((resolve) => server.close(resolve)));

beforeEach(() => {
  seen = [];
  handler = (_, res) => reply(res, 201, REPLY);
});

/** The parts of a multipart/form-data body. */
function multipart(request: Seen): Array<{ headers: string; body: Buffer }> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(String(request.headers['content-type']));
  expect(boundary).not.toBeNull();
  const marker = Buffer.from(`--${boundary?.[1] ?? boundary?.[2]}`);
  const parts: Array<{ headers: string; body: Buffer }> = [];
  let at = request.body.indexOf(marker);
  for (;;) {
    const start = at + marker.length;
    if (request.body.subarray(start, start + 2).toString() === '--') break;
    const next = request.body.indexOf(marker, start);
    const part = request.body.subarray(start + 2, next - 2); // CRLF after the marker, before the next
    const split = part.indexOf('\r\n\r\n');
    parts.push({ headers: part.subarray(0, split).toString(), body: part.subarray(split + 4) });
    at = next;
  }
  return parts;
}

const auth = ['--server', '', '--token', 'tp_secret', '--project', 'shop'];
const flags = (...more: string[]) => {
  const args = [...auth, ...more];
  args[1] = base;
  return args;
};

describe('testpulse upload', () => {
  it('posts one JUnit file as the raw XML body with the run in the query', async () => {
    const run = await runCli([
      'upload',
      JUNIT_A,
      ...flags('--run-id', 'r-1', '--branch', 'main', '--commit', 'abc123', '--name', 'nightly'),
    ]);
    expect(run).toEqual({ status: 0, stdout: `${JSON.stringify(REPLY)}\n`, stderr: '' });
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/api/v1/executions/junit');
    expect(request.query).toEqual({
      project: 'shop',
      runId: 'r-1',
      branch: 'main',
      commit: 'abc123',
      name: 'nightly',
    });
    expect(request.headers.authorization).toBe('Bearer tp_secret');
    expect(request.headers['content-type']).toBe('application/xml');
    expect(request.body.equals(readFileSync(JUNIT_A))).toBe(true);
  });

  it('posts several JUnit files as multipart parts named "files"', async () => {
    const run = await runCli(['upload', JUNIT_A, JUNIT_B, ...flags('--run-id', 'r-2')]);
    expect(run.status).toBe(0);
    const [request] = seen;
    expect(request.path).toBe('/api/v1/executions/junit');
    expect(request.query).toEqual({ project: 'shop', runId: 'r-2' });
    expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const parts = multipart(request);
    expect(parts).toHaveLength(2);
    expect(parts[0].headers).toMatch(/name="files"; filename="jest-junit.xml"/);
    expect(parts[0].headers).toMatch(/content-type: application\/xml/i);
    expect(parts[0].body.equals(readFileSync(JUNIT_A))).toBe(true);
    expect(parts[1].headers).toMatch(/name="files"; filename="python-xunit-pytest.xml"/);
    expect(parts[1].body.equals(readFileSync(JUNIT_B))).toBe(true);
  });

  it('posts a CTRF file as JSON to the CTRF endpoint', async () => {
    const run = await runCli(['upload', CTRF, ...flags('--run-id', 'r-3', '--environment', 'staging')]);
    expect(run.status).toBe(0);
    const [request] = seen;
    expect(request.path).toBe('/api/v1/executions/ctrf');
    expect(request.query).toEqual({ project: 'shop', runId: 'r-3', environment: 'staging' });
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.body.equals(readFileSync(CTRF))).toBe(true);
  });

  it('posts native JSON to /executions with the flags overriding the file', async () => {
    const native = {
      project: 'other',
      runId: 'from-file',
      branch: 'dev',
      results: [{ suite: 's', name: 'n', status: 'passed', durationMs: 1 }],
    };
    const dir = mkdtempSync(join(tmpdir(), 'testpulse-upload-'));
    try {
      const path = join(dir, 'run.json');
      writeFileSync(path, JSON.stringify(native));
      const run = await runCli(['upload', path, ...flags('--branch', 'main')]);
      expect(run.status).toBe(0);
      const [request] = seen;
      expect(request.path).toBe('/api/v1/executions');
      expect(request.query).toEqual({});
      expect(JSON.parse(request.body.toString())).toEqual({ ...native, project: 'shop', branch: 'main' });

      // Without flags, the file's project and run id stand.
      seen = [];
      const bare = await runCli(['upload', path, '--server', base, '--token', 't']);
      expect(bare.status).toBe(0);
      expect(JSON.parse(seen[0].body.toString())).toMatchObject({ project: 'other', runId: 'from-file' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tries again after a 503 and a reset connection with the same run id', async () => {
    handler = (_, res, count) => {
      if (count === 1) reply(res, 503, { message: 'busy' });
      else if (count === 2) res.socket?.destroy();
      else reply(res, 200, REPLY);
    };
    const run = await runCli(['upload', JUNIT_A, ...flags()]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`${JSON.stringify(REPLY)}\n`);
    expect(seen).toHaveLength(3);
    const runIds = seen.map((s) => s.query.runId);
    expect(new Set(runIds).size).toBe(1);
    expect(runIds[0]).toMatch(/^[0-9a-f-]{36}$/);
    for (const request of seen) expect(request.body.equals(readFileSync(JUNIT_A))).toBe(true);
    expect(run.stderr).toMatch(/HTTP 503 from the server; trying again in 0\.5 s \(1\/3\)/);
    expect(run.stderr).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
  }, 30_000);

  it('gives up after the retries and exits 1 with the server message', async () => {
    handler = (_, res) => reply(res, 502, { statusCode: 502, message: 'bad gateway' });
    const run = await runCli(['upload', JUNIT_A, ...flags('--retries', '1')]);
    expect(seen).toHaveLength(2);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n').pop()).toBe('testpulse: upload failed: HTTP 502: bad gateway');
  }, 30_000);

  it('exits 1 with the server message on a refusal, without trying again', async () => {
    handler = (_, res) =>
      reply(res, 400, {
        statusCode: 400,
        message: ['runId must be 1-200 letters', 'project must be a project key'],
        error: 'Bad Request',
        correlationId: 'c-42',
      });
    const run = await runCli(['upload', JUNIT_A, ...flags()]);
    expect(seen).toHaveLength(1);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'testpulse: upload failed: HTTP 400: runId must be 1-200 letters; project must be a project key (correlation id c-42)\n',
    );
  });

  it('exits 1 when the server cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const run = await runCli([
      'upload',
      JUNIT_A,
      '--server',
      `http://127.0.0.1:${port}`,
      '--token',
      't',
      '--project',
      'shop',
    ]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`testpulse: cannot reach http://127.0.0.1:${port}: ECONNREFUSED\n`);
  });

  it('takes the token and server from the environment and the run id from CI variables', async () => {
    const run = await runCli(['upload', JUNIT_A, '--project', 'shop'], {
      TESTPULSE_SERVER: `${base}/api/v1/`,
      TESTPULSE_TOKEN: 'tp_env',
      GITHUB_RUN_ID: '8812',
      GITHUB_RUN_ATTEMPT: '2',
      GITHUB_JOB: 'unit tests',
      GITHUB_REF_NAME: 'main',
      GITHUB_SHA: 'f00d',
    });
    expect(run.status).toBe(0);
    const [request] = seen;
    expect(request.path).toBe('/api/v1/executions/junit');
    expect(request.headers.authorization).toBe('Bearer tp_env');
    expect(request.query).toEqual({
      project: 'shop',
      runId: 'gh-8812-2-unit-tests',
      branch: 'main',
      commit: 'f00d',
    });

    seen = [];
    await runCli(['upload', JUNIT_A, '--project', 'shop'], {
      TESTPULSE_SERVER: base,
      TESTPULSE_TOKEN: 't',
      CI_PIPELINE_ID: '77',
      CI_JOB_ID: '1234',
    });
    expect(seen[0].query.runId).toBe('gl-77-1234');
  });

  it('checks files and options before sending anything (exit 2)', async () => {
    const cases: Array<[string[], RegExp]> = [
      [
        ['upload', JUNIT_A, '--token', 't', '--project', 'shop'],
        /no server: give --server URL or set TESTPULSE_SERVER/,
      ],
      [['upload', JUNIT_A, '--server', base, '--project', 'shop'], /no token/],
      [['upload', JUNIT_A, '--server', base, '--token', 't'], /no project: give --project KEY/],
      [['upload', JUNIT_A, CTRF, ...flags()], /different formats \(junit, ctrf\)/],
      [['upload', CTRF, CTRF, ...flags()], /only JUnit XML files can be uploaded together/],
      [
        ['upload', join(CORPUS, 'ctrf/ctrf.schema.json'), ...flags()],
        /ctrf\.schema\.json: not a test report/,
      ],
      [['upload', join(CORPUS, 'nope.xml'), ...flags()], /nope\.xml: no such file/],
      [['upload', JUNIT_A, ...flags('--retries', 'many')], /--retries must be a whole number/],
      [
        ['upload', JUNIT_A, '--server', 'ftp://x', '--token', 't', '--project', 'shop'],
        /--server must be an http or https URL/,
      ],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args);
      expect({ args, status: run.status }).toEqual({ args, status: 2 });
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(message);
    }
    expect(seen).toHaveLength(0);
  }, 60_000);
});
