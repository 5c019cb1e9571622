import { SaxesParser } from 'saxes';
import { InputTooLargeError, ResultFormatError } from './errors';
import { parseJUnit } from './junit';
import { saxesInternalsAvailable } from './saxes-guard';

async function failure(xml: string | Buffer | AsyncIterable<string>): Promise<ResultFormatError> {
  const error = await parseJUnit(xml).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ResultFormatError);
  return error as ResultFormatError;
}

describe('parseJUnit refuses hostile documents', () => {
  it('refuses any DOCTYPE', async () => {
    const error = await failure('<?xml version="1.0"?>\n<!DOCTYPE testsuites>\n<testsuites/>');
    expect(error.message).toBe('line 2, column 21: DOCTYPE declarations are not accepted in test reports');
  });

  it('refuses billion laughs without expanding anything', async () => {
    const laughs = [
      '<?xml version="1.0"?>',
      '<!DOCTYPE lolz [',
      ' <!ENTITY lol "lol">',
      ...Array.from({ length: 9 }, (_, i) => {
        const prev = i === 0 ? 'lol' : `lol${i}`;
        return ` <!ENTITY lol${i + 1} "${`&${prev};`.repeat(10)}">`;
      }),
      ']>',
      '<testsuites><testsuite name="&lol9;"><testcase name="&lol9;"/></testsuite></testsuites>',
    ].join('\n');
    const before = process.memoryUsage().heapUsed;
    const error = await failure(laughs);
    expect(error.message).toMatch(/DOCTYPE declarations are not accepted/);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(50 * 1024 * 1024);
  });

  it('refuses external entities (XXE) without reading the file', async () => {
    const xxe = `<?xml version="1.0"?>
<!DOCTYPE testsuites [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<testsuites><testsuite name="&xxe;"><testcase name="t"><failure>&xxe;</failure></testcase></testsuite></testsuites>`;
    const error = await failure(xxe);
    expect(error.message).toMatch(/DOCTYPE declarations are not accepted/);
    expect(error.message).not.toMatch(/root:/);
  });

  it('refuses a parameter-entity XXE hidden in a DOCTYPE with a public id', async () => {
    const error = await failure('<!DOCTYPE t PUBLIC "-//x//y" "http://127.0.0.1:1/evil.dtd"><testsuites/>');
    expect(error.message).toMatch(/DOCTYPE/);
  });

  it('treats undefined entities as errors, naming where', async () => {
    const error = await failure('<testsuite>\n  <testcase name="&nope;"/>\n</testsuite>');
    expect(error.message).toMatch(/^line 2, column 24: undefined entity/);
  });

  it('ignores processing instructions', async () => {
    const { results } = await parseJUnit(
      '<?xml version="1.0"?><?xml-stylesheet href="x.xsl"?><testsuite><?php echo 1; ?><testcase name="t"/></testsuite>',
    );
    expect(results).toHaveLength(1);
  });

  it('refuses absurd nesting, names and attribute counts instead of buffering them', async () => {
    expect((await failure(`<testsuites>${'<x>'.repeat(300)}`)).message).toMatch(/nested deeper than 256/);
    async function* longName() {
      yield '<testsuites><';
      for (let i = 0; i < 10; i++) yield 'a'.repeat(64 * 1024);
    }
    expect((await failure(longName())).message).toMatch(/a name longer than/);
    async function* manyAttributes() {
      yield '<testsuites><testsuite ';
      for (let i = 0; i < 200; i++) {
        yield Array.from({ length: 100 }, (_, j) => `a${i}_${j}="1"`).join(' ') + ' ';
      }
    }
    expect((await failure(manyAttributes())).message).toMatch(/more than 10000 attributes/);
  });

  it('stops reading past maxBytes with an InputTooLargeError', async () => {
    async function* endless() {
      yield '<testsuites>';
      for (;;) yield '<testsuite name="s"><testcase name="t"/></testsuite>'.repeat(1000);
    }
    const error = await parseJUnit(endless(), { maxBytes: 1024 * 1024 }).catch((e) => e);
    expect(error).toBeInstanceOf(InputTooLargeError);
    expect(error).toBeInstanceOf(ResultFormatError);
    expect(error.maxBytes).toBe(1024 * 1024);
    // A document within the limit is read.
    await expect(parseJUnit('<testsuites/>', { maxBytes: 13 })).resolves.toMatchObject({ results: [] });
    await expect(parseJUnit('<testsuites/>', { maxBytes: 12 })).rejects.toThrow(InputTooLargeError);
  });

  it('relies on saxes internals that are there (see saxes-guard.ts)', () => {
    expect(saxesInternalsAvailable(new SaxesParser())).toBe(true);
  });
});
