import { RESULT_LIMITS } from '@testpulse/contracts';
import { isFlaky, summarize } from '@testpulse/domain';
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ResultFormatError } from './errors';
import { parseJUnit } from './junit';

const CORPUS = join(__dirname, '../../../../shared/corpus');

interface Expected {
  file: string;
  dialect: string;
  tests: number;
  passed?: number;
  failed?: number;
  skipped?: number;
}

const expected: Expected[] = JSON.parse(readFileSync(join(CORPUS, 'junit/expected.json'), 'utf8'));

async function parse(xml: string) {
  return parseJUnit(xml);
}

async function only(xml: string) {
  const { results } = await parse(xml);
  expect(results).toHaveLength(1);
  return results[0];
}

describe('parseJUnit on the corpus of real reports', () => {
  it('covers every file of the corpus', () => {
    expect(expected.length).toBeGreaterThanOrEqual(22);
  });

  it.each(expected.map((e) => [e.file, e] as const))('%s reproduces the expected totals', async (_, want) => {
    const report = await parseJUnit(createReadStream(join(CORPUS, want.file), { highWaterMark: 4096 }));
    const summary = summarize(report.results);
    expect(report.format).toBe('junit');
    expect(summary.tests).toBe(want.tests);
    // The peer tool folds errors into failures.
    expect(summary.failed + summary.errored).toBe(want.failed ?? 0);
    expect(summary.skipped).toBe(want.skipped ?? 0);
    expect(summary.passed).toBe(want.passed ?? 0);
    expect(report.suites).toBe(new Set(report.results.map((r) => r.suite)).size);
    for (const result of report.results) {
      expect(result.suite.length).toBeGreaterThan(0);
      expect(result.name.length).toBeGreaterThan(0);
      expect(result.durationMs).toBeGreaterThanOrEqual(0);
    }
  });

  it('reads the details of a complete Testmo example', async () => {
    const report = await parseJUnit(
      createReadStream(join(CORPUS, 'junit/external__java__junit4-complete.xml')),
    );
    expect(report).toMatchObject({
      name: 'Test run',
      durationMs: 16082.687,
      startedAt: '2021-04-02T15:48:23.000Z',
    });
    const byName = Object.fromEntries(report.results.map((r) => [r.name, r]));
    expect(byName.testCase1).toEqual({
      suite: 'Tests.Registration',
      name: 'testCase1',
      file: 'tests/registration.code',
      status: 'passed',
      durationMs: 2436,
    });
    expect(byName.testCase4.status).toBe('skipped');
    expect(byName.testCase5).toMatchObject({
      status: 'failed',
      error: { type: 'AssertionError', message: 'Expected value did not match.' },
      // The suite's own output goes to its failing cases.
      systemOut: 'Data written to standard out.',
    });
    expect(byName.testCase6).toMatchObject({ status: 'errored', error: { type: 'ArithmeticError' } });
    expect(byName.testCase7).toMatchObject({ systemOut: 'Data written to standard out.' });
    expect(byName.testCase8.systemOut).toBeUndefined();
  });

  it('takes the message from the first line of the text when there is no message attribute', async () => {
    const report = await parseJUnit(createReadStream(join(CORPUS, 'junit/jest-junit.xml')));
    const failing = report.results.find((r) => r.name === 'Failing test');
    expect(failing?.error?.message).toBe('Error: expect(received).toBeTruthy()');
    expect(failing?.error?.stack).toMatch(/^Error: expect\(received\)[\s\S]*queueRunner\.js:75:41/);
    expect(report.results.find((r) => r.name === 'Skipped test')?.suite).toBe('__tests__\\second.test.js');
  });

  it('counts errors of suites that failed to run as errored', async () => {
    const report = await parseJUnit(
      createReadStream(join(CORPUS, 'junit/test-errors__jest__jest-test-results.xml')),
    );
    expect(report.results.map((r) => r.status)).toEqual(['errored', 'errored']);
    expect(report.results[0].error?.message).toBe('● Test suite failed to run');
  });

  it('uses the classname as suite when no testsuite has a name', async () => {
    const report = await parseJUnit(
      createReadStream(join(CORPUS, 'junit/nette-tester__BootstrapFormRenderer-report.xml')),
    );
    expect(report.results[0].suite).toMatch(/^Kdyby\\BootstrapFormRenderer\\BootstrapRenderer\. \| /);
    expect(report.durationMs).toBe(300);
  });
});

describe('parseJUnit', () => {
  it('names results after the nearest named suite of nested suites', async () => {
    const { results, suites } = await parse(`<?xml version="1.0"?>
      <testsuites name="all" time="3">
        <testsuite name="outer">
          <testcase name="a" classname="x.A" time="1"/>
          <testsuite name="inner">
            <testcase name="b" classname="x.B" time="0.5"/>
            <testsuite>
              <testcase name="c" classname="x.C"/>
            </testsuite>
          </testsuite>
          <testcase name="d" classname="x.D"/>
        </testsuite>
        <testcase name="e" classname="x.E"/>
        <testcase name="f"/>
      </testsuites>`);
    expect(results.map((r) => [r.suite, r.name, r.durationMs])).toEqual([
      ['outer', 'a', 1000],
      ['inner', 'b', 500],
      ['inner', 'c', 0],
      ['outer', 'd', 0],
      ['x.E', 'e', 0],
      ['(root)', 'f', 0],
    ]);
    expect(suites).toBe(4);
  });

  it('accepts a testsuite root and reads its time as the run duration', async () => {
    const report = await parse('<testsuite name="s" time="1,234.5" timestamp="2024-05-01T10:00:00"/>');
    expect(report).toEqual({
      format: 'junit',
      suites: 0,
      results: [],
      name: 's',
      durationMs: 1234500,
      startedAt: '2024-05-01T10:00:00.000Z',
      finishedAt: '2024-05-01T10:20:34.500Z',
    });
  });

  it('ignores placeholder timestamps (jest-junit writes 1970 for suites that did not run)', async () => {
    const report = await parseJUnit(
      createReadStream(join(CORPUS, 'junit/test-errors__jest__jest-test-results.xml')),
    );
    expect(report.startedAt).toBeUndefined();
    expect(report.finishedAt).toBeUndefined();
    expect(report.durationMs).toBe(646);
  });

  it.each([
    ['0.123', 123],
    ['1,234.5', 1234500],
    ['0,5', 500],
    ['12ms', 12],
    ['', 0],
    ['abc', 0],
    ['-3', 0],
    ['1e-3', 1],
  ])('reads time="%s" as %d ms', async (time, ms) => {
    expect((await only(`<testsuite><testcase name="t" time="${time}"/></testsuite>`)).durationMs).toBe(ms);
  });

  it('reads a missing time as 0 and no run duration', async () => {
    const report = await parse(
      '<testsuites><testsuite name="a"><testcase name="t"/></testsuite></testsuites>',
    );
    expect(report.results[0].durationMs).toBe(0);
    expect(report.durationMs).toBeUndefined();
  });

  it('orders outcomes errored > failed > skipped > passed', async () => {
    const { results } = await parse(`<testsuite name="s">
      <testcase name="skipped-and-failed"><skipped/><failure message="f"/></testcase>
      <testcase name="failed-then-error"><failure message="f"/><error message="e" type="E"/></testcase>
      <testcase name="skipped"><skipped message="later"/></testcase>
      <testcase name="passed"><system-out>hi</system-out></testcase>
    </testsuite>`);
    expect(results.map((r) => [r.name, r.status, r.error?.message])).toEqual([
      ['skipped-and-failed', 'failed', 'f'],
      ['failed-then-error', 'errored', 'e'],
      ['skipped', 'skipped', undefined],
      ['passed', 'passed', undefined],
    ]);
    expect(results[1].error).toEqual({ type: 'E', message: 'e' });
  });

  it('turns Surefire flaky reruns into failed attempts of a passed case', async () => {
    const result = await only(`<testsuite name="s">
      <testcase name="t" classname="C" time="0.3">
        <flakyFailure message="first try" type="java.lang.AssertionError" time="0.1">
          <stackTrace>java.lang.AssertionError: first try
	at C.t(C.java:10)</stackTrace>
          <system-out>output of the first try</system-out>
        </flakyFailure>
        <flakyError type="java.net.SocketTimeoutException">
          <stackTrace>java.net.SocketTimeoutException: Read timed out
	at C.t(C.java:12)</stackTrace>
        </flakyError>
      </testcase>
    </testsuite>`);
    expect(result).toEqual({
      suite: 's',
      name: 't',
      status: 'passed',
      durationMs: 300,
      attempts: [
        { status: 'failed', durationMs: 100, message: 'first try' },
        { status: 'errored', durationMs: 0, message: 'java.net.SocketTimeoutException: Read timed out' },
      ],
    });
    expect(isFlaky(result)).toBe(true);
    expect(summarize([result]).flaky).toBe(1);
  });

  it('keeps a case that failed every rerun failed, with its reruns as attempts', async () => {
    const result = await only(`<testsuite name="s">
      <testcase name="t" classname="C">
        <failure message="boom" type="AssertionError">trace</failure>
        <rerunFailure message="boom again"/>
        <rerunError message="crashed">stack</rerunError>
      </testcase>
    </testsuite>`);
    expect(result.status).toBe('failed');
    expect(result.error).toEqual({ type: 'AssertionError', message: 'boom', stack: 'trace' });
    expect(result.attempts).toEqual([
      { status: 'failed', durationMs: 0, message: 'boom again' },
      { status: 'errored', durationMs: 0, message: 'crashed' },
    ]);
    expect(isFlaky(result)).toBe(false);
  });

  it('truncates huge output and errors to the result limits, with a marker', async () => {
    const big = 'x'.repeat(RESULT_LIMITS.output + 5000);
    const stack = 'y'.repeat(RESULT_LIMITS.errorStack * 2);
    const result = await only(`<testsuite name="s"><testcase name="t">
      <failure message="${'m'.repeat(RESULT_LIMITS.errorMessage + 10)}">${stack}</failure>
      <system-out><![CDATA[${big}]]></system-out>
      <system-err>${big}</system-err>
    </testcase></testsuite>`);
    expect(result.systemOut?.length).toBeLessThanOrEqual(RESULT_LIMITS.output);
    expect(result.systemOut).toMatch(/^x+\n…\[truncated: \d+ more characters\]$/);
    expect(result.systemErr?.length).toBeLessThanOrEqual(RESULT_LIMITS.output);
    expect(result.error?.stack?.length).toBeLessThanOrEqual(RESULT_LIMITS.errorStack);
    expect(result.error?.stack).toMatch(/truncated: \d+ more characters/);
    expect(result.error?.message?.length).toBeLessThanOrEqual(RESULT_LIMITS.errorMessage);
  });

  it('keeps a suite-level output only on failing cases that have none of their own', async () => {
    const { results } = await parse(`<testsuite name="s">
      <testcase name="ok"/>
      <testcase name="bad"><failure/></testcase>
      <testcase name="own"><failure/><system-err>mine</system-err></testcase>
      <system-out>suite out</system-out>
      <system-err>suite err</system-err>
    </testsuite>`);
    expect(results.map((r) => [r.name, r.systemOut, r.systemErr])).toEqual([
      ['ok', undefined, undefined],
      ['bad', 'suite out', 'suite err'],
      ['own', 'suite out', 'mine'],
    ]);
  });

  it('reads the file attribute, tag properties and ignores other properties', async () => {
    const result = await only(`<testsuite name="s">
      <properties><property name="tag" value="suite-level"/></properties>
      <testcase name="t" classname="a.B" file="src/b.test.ts">
        <properties>
          <property name="tag" value="smoke"/>
          <property name="tags" value="slow, db,smoke"/>
          <property name="owner" value="qa"/>
          <property name="description">long text that is not kept</property>
        </properties>
      </testcase>
    </testsuite>`);
    expect(result).toEqual({
      suite: 's',
      name: 't',
      file: 'src/b.test.ts',
      status: 'passed',
      durationMs: 0,
      tags: ['smoke', 'slow', 'db'],
    });
  });

  it('accepts missing attributes, namespaced roots and control characters in output', async () => {
    const { results } = await parse(
      '<j:testsuites xmlns:j="urn:x"><j:testsuite><j:testcase><j:failure>\u001b[31mred\u001b[0m</j:failure></j:testcase></j:testsuite></j:testsuites>',
    );
    expect(results).toEqual([
      {
        suite: '(root)',
        name: '(unnamed)',
        status: 'failed',
        durationMs: 0,
        error: { message: '\u001b[31mred\u001b[0m', stack: '\u001b[31mred\u001b[0m' },
      },
    ]);
  });

  it('reads input given as a string, a Buffer, a Readable and an async generator of any chunking', async () => {
    const xml = '<testsuite name="ü"><testcase name="é✓"/></testsuite>';
    const bytes = Buffer.from(xml);
    async function* oneByteAtATime() {
      for (const byte of bytes) yield Buffer.from([byte]);
    }
    for (const input of [xml, bytes, Readable.from([bytes]), oneByteAtATime()]) {
      const { results } = await parseJUnit(input);
      expect(results).toEqual([{ suite: 'ü', name: 'é✓', status: 'passed', durationMs: 0 }]);
    }
  });

  it('decodes UTF-16 with a byte order mark and a declared single-byte encoding', async () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(
        '<?xml version="1.0" encoding="UTF-16"?><testsuite name="ü"><testcase name="t"/></testsuite>',
        'utf16le',
      ),
    ]);
    expect((await parseJUnit(utf16)).results[0].suite).toBe('ü');
    const latin1 = Buffer.from(
      '<?xml version="1.0" encoding="ISO-8859-1"?><testsuite name="caf\u00e9"><testcase name="t"/></testsuite>',
      'latin1',
    );
    expect((await parseJUnit(latin1)).results[0].suite).toBe('café');
  });

  it('reports an empty root as an empty run and empty input as an error', async () => {
    expect((await parse('<?xml version="1.0"?>\n<testsuites/>')).results).toEqual([]);
    await expect(parse('')).rejects.toThrow(new ResultFormatError('empty input: not a JUnit XML report'));
    await expect(parse('  \n\t ')).rejects.toThrow(/empty input/);
  });

  it('refuses a document whose root is not testsuites or testsuite', async () => {
    await expect(parse('<html><body/></html>')).rejects.toThrow(
      'line 1, column 6: not a JUnit XML report: root element <html> (this looks like an HTML page)',
    );
    await expect(parse('<?xml version="1.0"?>\n<TestRun xmlns="x"/>')).rejects.toThrow(
      /root element <TestRun> \(this looks like a Visual Studio TRX file\)/,
    );
  });

  it('names line and column of malformed XML', async () => {
    const error: ResultFormatError = await parse(
      '<testsuites>\n  <testsuite name="a">\n    <testcase name="t">\n  </testsuite>\n</testsuites>',
    ).catch((e) => e);
    expect(error).toBeInstanceOf(ResultFormatError);
    expect(error.line).toBe(4);
    expect(error.column).toBe(14);
    expect(error.message).toBe('line 4, column 14: unexpected close tag.');

    const unclosed: ResultFormatError = await parse('<testsuite>\n<testcase name="t">').catch((e) => e);
    expect(unclosed.message).toMatch(/^line 2, column \d+: unclosed tag: testcase/);
    const attr: ResultFormatError = await parse('<testsuite name=a/>').catch((e) => e);
    expect(attr.message).toMatch(/^line 1, column 17: unquoted attribute value/);
  });
});
