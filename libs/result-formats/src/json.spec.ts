import { ResultFormatError } from './errors';
import { jsonErrorOffset, lineAndColumn, parseJsonText } from './json';

function error(text: string | Buffer): ResultFormatError {
  try {
    parseJsonText(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ResultFormatError);
    return e as ResultFormatError;
  }
  throw new Error('expected a ResultFormatError');
}

describe('parseJsonText', () => {
  it('parses JSON, with or without a byte order mark, from text or bytes', () => {
    expect(parseJsonText('{"a":[1,true,null,"x"]}')).toEqual({ a: [1, true, null, 'x'] });
    expect(parseJsonText('\uFEFF{"a":1}')).toEqual({ a: 1 });
    expect(parseJsonText(Buffer.from('\uFEFF{"ü":1}'))).toEqual({ ü: 1 });
  });

  it.each([
    ['{"a":}', 1, 6],
    ['{"a":1,}', 1, 8],
    ['{\n"a": 1\n"b": 2}', 3, 1],
    ['{"a": "x', 1, 9],
    ['[1,2] x', 1, 7],
    ['{\n  "a": tru}', 2, 8],
    ['{"a":"\t"}', 1, 7],
    ['{a:1}', 1, 2],
    ['\n\n   @', 3, 4],
    ['{"results": {"tests": [\n', 2, 1],
  ])('names line and column for %j', (text, line, column) => {
    const e = error(text);
    expect([e.line, e.column]).toEqual([line, column]);
    expect(e.message).toMatch(new RegExp(`^line ${line}, column ${column}: invalid JSON: `));
    expect(e.message).not.toMatch(/position|is not valid JSON/);
  });

  it('calls empty input empty', () => {
    expect(error('').message).toBe('empty input: not a JSON document');
    expect(error(' \n').message).toBe('empty input: not a JSON document');
  });
});

describe('jsonErrorOffset', () => {
  it('finds no error in valid JSON, however deep', () => {
    for (const text of ['{}', '[]', '0', '-1.5e+3', '"\\u00e9\\n"', ' {"a":{"b":[1,{"c":null}]}} ']) {
      expect(jsonErrorOffset(text)).toBe(-1);
    }
    expect(jsonErrorOffset('['.repeat(100_000) + ']'.repeat(100_000))).toBe(-1);
  });

  it('agrees with where V8 says the error is', () => {
    for (const text of ['{"a":1,}', '[1,]', '{"a" 1}', '[01]', '{"a":"\\x"}', '[1] [2]', '{"a":1']) {
      const stated = (() => {
        try {
          JSON.parse(text);
        } catch (e) {
          return /at position (\d+)/.exec((e as Error).message)?.[1];
        }
        return undefined;
      })();
      if (stated !== undefined) expect(jsonErrorOffset(text)).toBe(Number(stated));
      else expect(jsonErrorOffset(text)).toBeGreaterThanOrEqual(0);
    }
  });

  it('converts offsets to 1-based lines and columns', () => {
    expect(lineAndColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
    expect(lineAndColumn('ab\n', 3)).toEqual({ line: 2, column: 1 });
  });
});
