import { TextDecoder } from 'node:util';
import { ResultFormatError } from './errors';
import { sniffEncoding } from './input';

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

/** Offset just past a JSON string starting at `start`, or the negated offset of its first error - 1. */
function scanString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) return -i - 1;
    if (c === 0x5c) {
      const next = text[i + 1];
      if (next === 'u') {
        for (let h = i + 2; h < i + 6; h++) if (!/[0-9a-fA-F]/.test(text[h] ?? '')) return -h - 1;
        i += 6;
      } else if (next !== undefined && '"\\/bfnrt'.includes(next)) {
        i += 2;
      } else {
        return -(i + 1) - 1;
      }
    } else {
      i += 1;
    }
  }
  return -text.length - 1;
}

/**
 * Offset of the first syntax error in a JSON text (V8 does not always say where), or -1 when there is
 * none. An iterative scanner: deep nesting cannot overflow the stack.
 */
export function jsonErrorOffset(text: string): number {
  const stack: Array<'{' | '['> = [];
  type Expect = 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'colon' | 'commaOrClose' | 'end';
  let expect: Expect = 'value';
  let i = 0;
  const afterValue = (): Expect => (stack.length > 0 ? 'commaOrClose' : 'end');
  for (;;) {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i += 1;
    if (i >= text.length) return expect === 'end' ? -1 : i;
    const ch = text[i];
    const top = stack[stack.length - 1];
    switch (expect) {
      case 'end':
        return i;
      case 'colon':
        if (ch !== ':') return i;
        i += 1;
        expect = 'value';
        break;
      case 'commaOrClose':
        if (ch === ',') {
          i += 1;
          expect = top === '{' ? 'key' : 'value';
        } else if ((ch === '}' && top === '{') || (ch === ']' && top === '[')) {
          stack.pop();
          i += 1;
          expect = afterValue();
        } else {
          return i;
        }
        break;
      case 'key':
      case 'keyOrClose':
        if (ch === '}' && expect === 'keyOrClose') {
          stack.pop();
          i += 1;
          expect = afterValue();
        } else if (ch === '"') {
          const end = scanString(text, i);
          if (end < 0) return -end - 1;
          i = end;
          expect = 'colon';
        } else {
          return i;
        }
        break;
      case 'value':
      case 'valueOrClose':
        if (ch === ']' && expect === 'valueOrClose') {
          stack.pop();
          i += 1;
          expect = afterValue();
        } else if (ch === '{' || ch === '[') {
          stack.push(ch);
          i += 1;
          expect = ch === '{' ? 'keyOrClose' : 'valueOrClose';
        } else if (ch === '"') {
          const end = scanString(text, i);
          if (end < 0) return -end - 1;
          i = end;
          expect = afterValue();
        } else {
          const pattern = ch === '-' || (ch >= '0' && ch <= '9') ? NUMBER : LITERAL;
          pattern.lastIndex = i;
          const match = pattern.exec(text);
          if (!match) return i;
          i += match[0].length;
          expect = afterValue();
        }
        break;
    }
  }
}

/**
 * Parses a JSON document; a syntax error becomes a `ResultFormatError` naming the line and column
 * (computed from V8's position, or located by `jsonErrorOffset` when V8 gives none).
 */
export function parseJsonText(source: string | Uint8Array): unknown {
  const text =
    typeof source === 'string'
      ? source.replace(/^\uFEFF/, '')
      : new TextDecoder(sniffEncoding(source)).decode(source);
  if (text.trim().length === 0) throw new ResultFormatError('empty input: not a JSON document');
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const stated = /at position (\d+)/.exec(error.message);
    const offset = stated
      ? Number(stated[1])
      : /end of JSON input/.test(error.message)
        ? text.length
        : jsonErrorOffset(text);
    const message = error.message
      .replace(/, ".*" is not valid JSON$/s, '')
      .replace(/ at position \d+.*$/s, '')
      .replace(/ in JSON$/, '');
    const where = offset >= 0 ? lineAndColumn(text, offset) : {};
    throw new ResultFormatError(`invalid JSON: ${message}`, where);
  }
}
