import { summarize } from '@testpulse/domain';
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { detectFormat, detectJsonFormat, parseJsonReport, parseReport } from './detect';
import { InputTooLargeError, ResultFormatError } from './errors';

const CORPUS = join(__dirname, '../../../../shared/corpus');

describe('detectFormat', () => {
  it.each([
    ['<?xml version="1.0"?><testsuites/>', 'junit'],
    ['\uFEFF\n  <testsuite/>', 'junit'],
    ['<!-- generated --><testsuites/>', 'junit'],
    ['{"results":{"tool":{"name":"x"},"tests":[]}}', 'ctrf'],
    ['{"reportFormat":"CTRF","specVersion":"1.0.0","results":{"tests":[]}}', 'ctrf'],
    ['{"project":"p","runId":"r","results":[]}', 'native'],
    ['{"reportFormat": "CTRF", "results": {"tool": {"name": "unfinis', 'ctrf'],
    ['{"project": "p", "runId": "r", "results": [{"suite": "unfinis', 'native'],
    ['{"something": "else"}', 'json'],
    ['[1, 2]', 'json'],
    ['', undefined],
    ['hello world', undefined],
    ['<3 plain text', undefined],
  ])('%j → %s', (text, want) => {
    expect(detectFormat(Buffer.from(text))).toBe(want);
  });

  it('recognises UTF-16 XML and refuses binary files', () => {
    expect(detectFormat(Buffer.from('\uFEFF<testsuites/>', 'utf16le'))).toBe('junit');
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    expect(detectFormat(png)).toBeUndefined();
  });

  it('detects the kind of a parsed JSON report', () => {
    expect(detectJsonFormat({ results: { tests: [] } })).toBe('ctrf');
    expect(detectJsonFormat({ results: [] })).toBe('native');
    expect(detectJsonFormat({ results: {} })).toBeUndefined();
    expect(detectJsonFormat([])).toBeUndefined();
    expect(() => parseJsonReport({ hello: 1 })).toThrow(/needs results\.tests \(CTRF\) or a results array/);
  });
});

describe('parseReport', () => {
  it('parses every corpus file by detecting its format from a stream', async () => {
    const expected = JSON.parse(readFileSync(join(CORPUS, 'junit/expected.json'), 'utf8'));
    for (const { file, tests } of expected) {
      const report = await parseReport(createReadStream(join(CORPUS, file), { highWaterMark: 1024 }));
      expect([file, report.format, report.results.length]).toEqual([file, 'junit', tests]);
    }
    for (const file of ['minimal', 'comprehensive', 'with-retries']) {
      const path = join(CORPUS, `ctrf/${file}.json`);
      const report = await parseReport(createReadStream(path, { highWaterMark: 64 }));
      expect(report.format).toBe('ctrf');
      expect(summarize(report.results).tests).toBe(
        JSON.parse(readFileSync(path, 'utf8')).results.summary.tests,
      );
    }
  });

  it('parses native JSON and honours a forced format', async () => {
    const native = {
      project: 'shop',
      runId: 'r1',
      results: [{ suite: 's', name: 'n', status: 'passed', durationMs: 1 }],
    };
    expect((await parseReport(JSON.stringify(native))).format).toBe('native');
    await expect(parseReport('<testsuites/>', { format: 'ctrf' })).rejects.toThrow(/invalid JSON/);
  });

  it('refuses empty and unknown input, and too much of it', async () => {
    await expect(parseReport(Buffer.alloc(0))).rejects.toThrow(
      new ResultFormatError('empty input: not a test report'),
    );
    await expect(parseReport(Readable.from([Buffer.from('just text\n')]))).rejects.toThrow(
      'not a test report: expected JUnit XML, CTRF JSON or testpulse JSON',
    );
    await expect(parseReport('{"a":1}')).rejects.toThrow(/not a test report: a JSON report needs/);
    const big = JSON.stringify({
      results: { tests: Array.from({ length: 1000 }, () => ({ name: 'n', status: 'passed' })) },
    });
    await expect(parseReport(big, { maxBytes: 1000 })).rejects.toThrow(InputTooLargeError);
  });
});
