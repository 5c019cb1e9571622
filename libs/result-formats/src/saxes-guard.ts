import type { SaxesParser } from 'saxes';
import { ResultFormatError } from './errors';

/*
 * saxes buffers a whole text node, CDATA section, comment or attribute value before it hands it over,
 * so one 500 MB `<system-out>` would sit in memory whole (and a string past V8's maximum length would
 * crash the parse). Called after every piece written to the parser, `boundParserBuffers` hands text and
 * CDATA gathered so far to the current sink (or drops it when nothing wants it), drops comment text, and
 * caps anything else. It reads saxes' internal state: saxes is pinned to an exact version, and
 * junit-security.spec.ts (the fields) and junit-streaming.spec.ts (the memory bound, i.e. the state
 * numbers) fail if an upgrade changes these internals.
 */

/** saxes 6 parser states (saxes.js `S_*` constants). */
const S_TEXT = 13;
const S_ENTITY = 14;
const S_COMMENT = 17;
const S_COMMENT_ENDED = 19;
const S_CDATA = 20;
const S_CDATA_ENDING_2 = 22;

interface SaxesInternals {
  state: number;
  entityReturnState?: number;
  text: string;
  name: string;
  entity: string;
  piTarget: string;
  attribList: unknown[];
}

/** Text or CDATA buffered beyond this is handed over or dropped. */
const FLUSH_CHARS = 64 * 1024;
/** Other buffered text (attribute values, processing instructions, a DTD) is cut to this. */
const HARD_CAP_CHARS = 1024 * 1024;
const MAX_NAME_CHARS = 10_000;
const MAX_ENTITY_CHARS = 100;
const MAX_ATTRIBUTES = 10_000;

function internals(parser: SaxesParser): SaxesInternals {
  return parser as unknown as SaxesInternals;
}

/** Checks that the saxes in use has the internals the guard relies on. */
export function saxesInternalsAvailable(parser: SaxesParser): boolean {
  const p = internals(parser);
  return (
    typeof p.state === 'number' &&
    typeof p.text === 'string' &&
    typeof p.name === 'string' &&
    typeof p.entity === 'string' &&
    Array.isArray(p.attribList)
  );
}

/**
 * Bounds what the parser holds between two writes. `sink` receives character data of the element
 * being captured (undefined: nothing is captured, the data is dropped).
 */
export function boundParserBuffers(
  parser: SaxesParser,
  sink: ((text: string) => void) | undefined,
  where: () => { line: number; column: number },
): void {
  const p = internals(parser);
  if (p.text.length > FLUSH_CHARS) {
    const inText = p.state === S_TEXT || (p.state === S_ENTITY && p.entityReturnState === S_TEXT);
    if (inText || (p.state >= S_CDATA && p.state <= S_CDATA_ENDING_2)) {
      sink?.(p.text);
      p.text = '';
    } else if (p.state >= S_COMMENT && p.state <= S_COMMENT_ENDED) {
      p.text = '';
    } else if (p.text.length > HARD_CAP_CHARS) {
      p.text = p.text.slice(0, HARD_CAP_CHARS);
    }
  }
  if (p.name.length > MAX_NAME_CHARS || p.piTarget.length > MAX_NAME_CHARS) {
    throw new ResultFormatError(`a name longer than ${MAX_NAME_CHARS} characters`, where());
  }
  if (p.entity.length > MAX_ENTITY_CHARS) {
    throw new ResultFormatError('an entity reference that does not end', where());
  }
  if (p.attribList.length > MAX_ATTRIBUTES) {
    throw new ResultFormatError(`an element with more than ${MAX_ATTRIBUTES} attributes`, where());
  }
}
