import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { InputTooLargeError, ResultFormatError } from './errors';

export type Chunk = Buffer | Uint8Array | string;

/**
 * What the parsers read: a Node stream (a file stream, an HTTP request), any (async) iterable of chunks,
 * or the whole content at once.
 */
export type ReportInput = Readable | AsyncIterable<Chunk> | Iterable<Chunk> | Buffer | Uint8Array | string;

export interface ReadOptions {
  /**
   * Stop with an `InputTooLargeError` as soon as more bytes than this arrive. A stream is not destroyed
   * when reading stops (an HTTP handler can still answer); the caller decides what to do with the rest.
   */
  maxBytes?: number;
}

/** Largest piece of text handed to a parser at once: bounds what a parser buffers between checks. */
export const PIECE_CHARS = 64 * 1024;

function isReadable(input: unknown): input is Readable {
  return typeof (input as Readable | null)?.iterator === 'function' && 'readableEnded' in (input as object);
}

export function chunksOf(input: ReportInput): AsyncIterable<Chunk> | Iterable<Chunk> {
  if (typeof input === 'string' || input instanceof Uint8Array) return [input];
  // A Readable's own iterator destroys the stream on an early exit, which would also kill an HTTP
  // response still to be written: keep it alive.
  if (isReadable(input)) return input.iterator({ destroyOnReturn: false });
  return input;
}

const BYTE_ORDER_MARKS: Array<[number[], string]> = [
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0xff, 0xfe], 'utf-16le'],
  [[0xfe, 0xff], 'utf-16be'],
  // `<` or `<?` in UTF-16 without a byte order mark.
  [[0x3c, 0x00], 'utf-16le'],
  [[0x00, 0x3c], 'utf-16be'],
];

/**
 * The character encoding of a document from its first bytes: a byte order mark, UTF-16 without one, or
 * else the `encoding` of an XML declaration (ASCII-compatible ones only: a declaration that claims
 * UTF-16 over ASCII-compatible bytes is wrong). Defaults to UTF-8.
 */
export function sniffEncoding(head: Uint8Array): string {
  for (const [mark, encoding] of BYTE_ORDER_MARKS) {
    if (mark.every((byte, i) => head[i] === byte)) return encoding;
  }
  const start = Buffer.from(head.subarray(0, 512)).toString('latin1');
  const declared = /^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']/.exec(start)?.[1];
  if (!declared || /^(utf-?(16|32)|ucs-?[24])/i.test(declared)) return 'utf-8';
  return declared.toLowerCase();
}

function decoderFor(encoding: string): TextDecoder {
  try {
    return new TextDecoder(encoding, { fatal: false });
  } catch {
    throw new ResultFormatError(`unsupported character encoding "${encoding}"`);
  }
}

function* pieces(text: string): Generator<string> {
  let i = 0;
  while (i < text.length) {
    let end = Math.min(text.length, i + PIECE_CHARS);
    const code = text.charCodeAt(end - 1);
    if (end < text.length && code >= 0xd800 && code <= 0xdbff) end -= 1; // keep surrogate pairs together
    yield text.slice(i, end);
    i = end;
  }
}

/**
 * The input as text, in pieces of at most `PIECE_CHARS` characters, decoded from its bytes as they
 * arrive (byte order marks removed, invalid bytes replaced by U+FFFD), counting bytes against `maxBytes`.
 */
export async function* textPieces(input: ReportInput, options: ReadOptions = {}): AsyncGenerator<string> {
  const { maxBytes } = options;
  let bytes = 0;
  let decoder: TextDecoder | undefined;
  let head: Uint8Array[] = [];
  let headBytes = 0;
  let first = true;

  const decode = function* (chunk: Uint8Array, final: boolean): Generator<string> {
    decoder ??= decoderFor(sniffEncoding(chunk));
    yield* pieces(decoder.decode(chunk, { stream: !final }));
  };

  for await (const chunk of chunksOf(input)) {
    if (typeof chunk === 'string') {
      bytes += Buffer.byteLength(chunk, 'utf8');
      if (maxBytes !== undefined && bytes > maxBytes) throw new InputTooLargeError(maxBytes);
      if (head.length > 0) {
        yield* decode(Buffer.concat(head), true);
        head = [];
      }
      yield* pieces(first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk);
      first = false;
      continue;
    }
    if (!(chunk instanceof Uint8Array)) {
      throw new TypeError('report input chunks must be Buffers, Uint8Arrays or strings');
    }
    bytes += chunk.byteLength;
    if (maxBytes !== undefined && bytes > maxBytes) throw new InputTooLargeError(maxBytes);
    first = false;
    if (decoder) {
      yield* decode(chunk, false);
      continue;
    }
    // Gather enough of the start to see a byte order mark and the XML declaration.
    head.push(chunk);
    headBytes += chunk.byteLength;
    if (headBytes >= 256) {
      yield* decode(Buffer.concat(head), false);
      head = [];
    }
  }
  if (head.length > 0) yield* decode(Buffer.concat(head), true);
  else if (decoder) yield* pieces(decoder.decode());
}

/** The whole input as one string (for JSON), with the same decoding and byte limit as `textPieces`. */
export async function readText(input: ReportInput, options: ReadOptions = {}): Promise<string> {
  const parts: string[] = [];
  for await (const piece of textPieces(input, options)) parts.push(piece);
  return parts.join('');
}
