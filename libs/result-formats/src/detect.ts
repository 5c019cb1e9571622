import { TextDecoder } from 'node:util';
import { parseCtrf } from './ctrf';
import { ResultFormatError } from './errors';
import { type Chunk, type ReadOptions, type ReportInput, chunksOf, readText, sniffEncoding } from './input';
import { parseJsonText } from './json';
import { parseJUnit } from './junit';
import { parseNative } from './native';
import type { ParsedReport, ReportFormat } from './report';

/** A report format, or `json` for a JSON document whose start does not tell which kind it is. */
export type DetectedFormat = ReportFormat | 'json';

/** Bytes `detectFormat` wants to see; fewer are fine for a short file. */
export const DETECT_BYTES = 4096;

/** The kind of a parsed JSON report: CTRF has `results.tests`, the native format a `results` array. */
export function detectJsonFormat(value: unknown): 'ctrf' | 'native' | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { results, reportFormat } = value as { results?: unknown; reportFormat?: unknown };
  if (reportFormat === 'CTRF') return 'ctrf';
  if (Array.isArray(results)) return 'native';
  if (
    typeof results === 'object' &&
    results !== null &&
    Array.isArray((results as { tests?: unknown }).tests)
  ) {
    return 'ctrf';
  }
  return undefined;
}

/**
 * The format of a report from its first bytes (`DETECT_BYTES` is plenty): XML → `junit`; JSON → `ctrf`
 * or `native` when the bytes show which (a complete document is looked into; a prefix is searched for
 * `"reportFormat": "CTRF"`, `"results": {` or `"results": [`), else `json`; undefined for anything
 * else (an empty file, plain text, an image).
 */
export function detectFormat(firstBytes: Uint8Array | string): DetectedFormat | undefined {
  const text =
    typeof firstBytes === 'string'
      ? firstBytes
      : new TextDecoder(sniffEncoding(firstBytes)).decode(firstBytes.subarray(0, DETECT_BYTES * 4));
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('<')) {
    // `<?xml`, a comment or an element; not binary that happens to start with "<".
    return /^<(\?xml|!--|!DOCTYPE|[A-Za-z_])/i.test(start) ? 'junit' : undefined;
  }
  if (!start.startsWith('{')) return start.startsWith('[') ? 'json' : undefined;
  try {
    return detectJsonFormat(JSON.parse(start)) ?? 'json';
  } catch {
    // Only a prefix: look for the telling keys.
  }
  if (/"reportFormat"\s*:\s*"CTRF"/.test(start) || /"results"\s*:\s*\{/.test(start)) return 'ctrf';
  if (/"results"\s*:\s*\[/.test(start)) return 'native';
  return 'json';
}

/** Parses a JSON report of either kind (CTRF or native), given parsed or as text. */
export function parseJsonReport(json: unknown, format?: 'ctrf' | 'native'): ParsedReport {
  const doc = typeof json === 'string' || json instanceof Uint8Array ? parseJsonText(json) : json;
  const kind = format ?? detectJsonFormat(doc);
  if (kind === 'ctrf') return parseCtrf(doc);
  if (kind === 'native') return parseNative(doc);
  throw new ResultFormatError(
    'not a test report: a JSON report needs results.tests (CTRF) or a results array (testpulse JSON)',
  );
}

async function* replay(head: Chunk[], rest: AsyncIterator<Chunk> | Iterator<Chunk>): AsyncGenerator<Chunk> {
  yield* head;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}

export interface ParseReportOptions extends ReadOptions {
  /** Skip detection. */
  format?: ReportFormat;
}

/**
 * Parses a report of any supported format, detected from its first bytes: JUnit XML is streamed,
 * JSON (CTRF or native) is read whole and then parsed.
 */
export async function parseReport(
  input: ReportInput,
  options: ParseReportOptions = {},
): Promise<ParsedReport> {
  const source = chunksOf(input);
  const iterator =
    Symbol.asyncIterator in source
      ? (source as AsyncIterable<Chunk>)[Symbol.asyncIterator]()
      : (source as Iterable<Chunk>)[Symbol.iterator]();
  const head: Chunk[] = [];
  let headBytes = 0;
  let done = false;
  while (!options.format && headBytes < DETECT_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    head.push(next.value);
    headBytes += typeof next.value === 'string' ? Buffer.byteLength(next.value) : next.value.byteLength;
  }
  const whole: AsyncIterable<Chunk> = done ? toAsync(head) : replay(head, iterator);
  const sample = Buffer.concat(head.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)));
  const format = options.format ?? detectFormat(sample);
  if (format === undefined) {
    throw new ResultFormatError(
      sample.toString('utf8').trim().length === 0
        ? 'empty input: not a test report'
        : 'not a test report: expected JUnit XML, CTRF JSON or testpulse JSON',
    );
  }
  if (format === 'junit') return parseJUnit(whole, options);
  // The whole document tells its kind better than the prefix did.
  const text = await readText(whole, options);
  return parseJsonReport(parseJsonText(text), options.format === 'junit' ? undefined : options.format);
}

async function* toAsync(chunks: Chunk[]): AsyncGenerator<Chunk> {
  yield* chunks;
}
