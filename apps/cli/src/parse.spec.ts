import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORPUS, ensureBuilt, inBatches, runCli } from './testing/cli-process';

interface Expected {
  file: string;
  tests: number;
  passed?: number;
  failed?: number;
  skipped?: number;
}

const junitExpected: Expected[] = JSON.parse(readFileSync(join(CORPUS, 'junit/expected.json'), 'utf8'));
const ctrfFiles = readdirSync(join(CORPUS, 'ctrf')).filter(
  (f) => f.endsWith('.json') && f !== 'ctrf.schema.json',
);

let scratch: string;

beforeAll(() => {
  ensureBuilt();
  scratch = mkdtempSync(join(tmpdir(), 'testpulse-cli-'));
}, 120_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function scratchFile(name: string, content: string | Buffer): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

describe('testpulse parse', () => {
  it('prints the totals of every JUnit file of the corpus', async () => {
    expect(junitExpected.length).toBeGreaterThanOrEqual(22);
    const runs = await inBatches(junitExpected, 4, (e) => runCli(['parse', join(CORPUS, e.file)]));
    junitExpected.forEach((want, i) => {
      const { status, stdout, stderr } = runs[i];
      expect({ file: want.file, status, stderr }).toEqual({ file: want.file, status: 0, stderr: '' });
      expect(stdout.endsWith('\n')).toBe(true);
      expect(stdout.trim().split('\n')).toHaveLength(1);
      const printed = JSON.parse(stdout);
      expect(Object.keys(printed)).toEqual([
        'format',
        'suites',
        'tests',
        'passed',
        'failed',
        'errored',
        'skipped',
        'flaky',
        'durationMs',
      ]);
      expect({ file: want.file, ...printed, failed: printed.failed + printed.errored }).toMatchObject({
        file: want.file,
        format: 'junit',
        tests: want.tests,
        passed: want.passed ?? 0,
        failed: want.failed ?? 0,
        skipped: want.skipped ?? 0,
      });
      expect(Number.isInteger(printed.durationMs)).toBe(true);
    });
  }, 120_000);

  it('prints the totals of every CTRF example, as each declares them', async () => {
    expect(ctrfFiles).toHaveLength(5);
    const runs = await inBatches(ctrfFiles, 4, (file) => runCli(['parse', join(CORPUS, 'ctrf', file)]));
    ctrfFiles.forEach((file, i) => {
      const declared = JSON.parse(readFileSync(join(CORPUS, 'ctrf', file), 'utf8')).results.summary;
      const { status, stdout, stderr } = runs[i];
      expect({ file, status, stderr }).toEqual({ file, status: 0, stderr: '' });
      const printed = JSON.parse(stdout);
      expect({ file, ...printed }).toMatchObject({
        file,
        format: 'ctrf',
        tests: declared.tests,
        passed: declared.passed,
        failed: declared.failed,
        flaky: declared.flaky ?? 0,
        durationMs: declared.duration ?? declared.stop - declared.start,
      });
      expect(printed.skipped + printed.errored).toBe(declared.skipped + declared.pending + declared.other);
    });
  }, 120_000);

  it('separates errored from failed and states the summed duration when the report has none', async () => {
    const file = scratchFile(
      'mixed.xml',
      `<testsuites><testsuite name="s">
        <testcase name="a" time="1.5"><error message="boom"/></testcase>
        <testcase name="b" time="0.25"><failure/></testcase>
        <testcase name="c" time="0.2501"/>
      </testsuite><testsuite name="t"><testcase name="d"><skipped/></testcase></testsuite></testsuites>`,
    );
    const { status, stdout } = await runCli(['parse', file]);
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      format: 'junit',
      suites: 2,
      tests: 4,
      passed: 1,
      failed: 1,
      errored: 1,
      skipped: 1,
      flaky: 0,
      durationMs: 2000,
    });
  });

  it('reads native JSON and standard input', async () => {
    const native = JSON.stringify({
      project: 'shop',
      runId: 'r-1',
      results: [{ suite: 's', name: 'n', status: 'passed', durationMs: 3 }],
    });
    const piped = await runCli(['parse', '-'], {}, native);
    expect(piped.status).toBe(0);
    expect(JSON.parse(piped.stdout)).toMatchObject({ format: 'native', tests: 1, passed: 1, durationMs: 3 });
  });

  it.each([
    [
      'malformed XML',
      'bad.xml',
      '<testsuites>\n  <testsuite name="a">\n    <testcase name="t">\n  </testsuite>',
      /:4:14: unexpected close tag/,
    ],
    [
      'a DTD',
      'dtd.xml',
      '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">]>\n<testsuites/>',
      /:2:\d+: DOCTYPE declarations are not accepted/,
    ],
    [
      'XXE',
      'xxe.xml',
      '<!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]><testsuite name="&x;"/>',
      /:1:\d+: DOCTYPE/,
    ],
    [
      'another XML document',
      'trx.xml',
      '<?xml version="1.0"?>\n<TestRun/>',
      /:2:\d+: not a JUnit XML report: root element <TestRun>/,
    ],
    [
      'a PNG',
      'image.png',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48]),
      /image\.png: not a test report/,
    ],
    ['plain text', 'notes.txt', 'these are not test results\n', /notes\.txt: not a test report/],
    ['an empty file', 'empty.xml', '', /empty\.xml: empty input/],
    [
      'malformed JSON',
      'bad.json',
      '{\n  "results": {\n    "tests": [,]\n  }\n}',
      /bad\.json:3:15: invalid JSON/,
    ],
    [
      'a bad CTRF status',
      'status.json',
      '{"results":{"tests":[{"name":"a","status":"broken"}]}}',
      /status\.json: results\.tests\[0\]\.status must be one of/,
    ],
    [
      'a bad native result',
      'native.json',
      '{"project":"shop","runId":"r","results":[{"suite":"s","name":"n","status":"passed"}]}',
      /native\.json: results\[0\]\.durationMs must not be greater than/,
    ],
    [
      'JSON of another kind',
      'other.json',
      '{"hello": "world"}',
      /other\.json: not a test report: a JSON report needs/,
    ],
  ])('exits 2 with one line on stderr for %s', async (_, name, content, message) => {
    const file = scratchFile(name, content);
    const { status, stdout, stderr } = await runCli(['parse', file]);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.endsWith('\n')).toBe(true);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr.startsWith(`testpulse: ${file}`)).toBe(true);
    expect(stderr).toMatch(message);
  });

  it('exits 2 for a missing file, a directory and a missing argument', async () => {
    const missing = await runCli(['parse', join(scratch, 'nope.xml')]);
    expect([missing.status, missing.stderr]).toEqual([
      2,
      `testpulse: ${join(scratch, 'nope.xml')}: no such file\n`,
    ]);
    const directory = await runCli(['parse', scratch]);
    expect(directory.status).toBe(2);
    expect(directory.stderr).toMatch(/is a directory/);
    const usage = await runCli(['parse']);
    expect([usage.status, usage.stderr]).toEqual([
      2,
      "testpulse: missing required argument 'file' (see --help)\n",
    ]);
  });
});
