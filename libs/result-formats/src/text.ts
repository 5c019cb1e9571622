import { RESULT_LIMITS } from '@testpulse/contracts';

function cutPoint(text: string, at: number): number {
  // Never split a surrogate pair.
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

/**
 * `text` cut to at most `limit` characters, ending with a marker that says how much was left out.
 * `total` is the length of the whole original when `text` is already a prefix of it.
 */
export function truncate(text: string, limit: number, total = text.length): string {
  if (total <= limit && text.length <= limit) return text;
  const marker = (omitted: number) => `\n…[truncated: ${omitted} more characters]`;
  // The marker's own length depends on the count; size it for the worst case.
  const room = Math.max(0, limit - marker(total).length);
  const cut = cutPoint(text, Math.min(room, text.length));
  const result = text.slice(0, cut) + marker(total - cut);
  return result.length <= limit ? result : text.slice(0, cutPoint(text, limit));
}

/** Like `truncate`, for optional values; empty strings become undefined. */
export function bounded(text: string | undefined, limit: number): string | undefined {
  if (text === undefined || text.length === 0) return undefined;
  return truncate(text, limit);
}

/**
 * Collects text that arrives in pieces and keeps at most `limit` characters of it (plus a marker saying
 * how much was dropped): a huge `<system-out>` never sits in memory whole.
 */
export class BoundedText {
  private readonly parts: string[] = [];
  private kept = 0;
  private total = 0;

  constructor(private readonly limit: number) {}

  append(piece: string): void {
    this.total += piece.length;
    if (this.kept >= this.limit) return;
    const take = piece.length <= this.limit - this.kept ? piece : piece.slice(0, this.limit - this.kept);
    this.parts.push(take);
    this.kept += take.length;
  }

  get length(): number {
    return this.total;
  }

  /** The text (kept part plus a truncation marker); `trim` drops surrounding whitespace. */
  value(trim = false): string {
    let text = this.parts.join('');
    let total = this.total;
    if (trim) {
      const leading = text.length - text.trimStart().length;
      text = text.slice(leading);
      total -= leading;
      if (total === text.length) {
        text = text.trimEnd();
        total = text.length;
      }
    }
    return truncate(text, this.limit, total);
  }
}

/** First non-blank line of a text, trimmed. */
export function firstLine(text: string | undefined): string | undefined {
  if (!text) return undefined;
  for (const line of text.split('\n', 50)) {
    const trimmed = line.trim();
    if (trimmed) return trimmed;
  }
  return undefined;
}

/** A duration in milliseconds within the accepted range, rounded to microseconds. */
export function clampDuration(ms: number): number {
  if (!Number.isFinite(ms) || ms <= 0) return 0;
  return Math.min(RESULT_LIMITS.durationMs, Math.round(ms * 1000) / 1000);
}

/**
 * A JUnit `time` (seconds) in milliseconds. Accepts `0.123`, `1,234.5` (thousands separators), `0,5`
 * (decimal comma, as some locales write), `12ms` / `1.5s`; anything else, or a missing value, is 0.
 */
export function secondsToMs(raw: string | undefined): number {
  if (raw === undefined) return 0;
  let text = raw.trim().replace(/\s+/g, '');
  if (!text) return 0;
  let factor = 1000;
  const unit = /^(.*?)(ms|s)$/i.exec(text);
  if (unit) {
    text = unit[1];
    factor = unit[2].toLowerCase() === 'ms' ? 1 : 1000;
  }
  if (text.includes(',')) {
    const thousands = text.includes('.') || /^[1-9]\d{0,2}(,\d{3})+$/.test(text);
    text = thousands ? text.replace(/,/g, '') : text.replace(',', '.');
  }
  const value = Number(text);
  return clampDuration(value * factor);
}

/** Earlier timestamps are placeholders (jest-junit writes 1970-01-01 for a suite that did not run). */
const EARLIEST = Date.UTC(2000, 0, 1);

/**
 * A report timestamp as an ISO 8601 UTC string, or undefined when it cannot be read or is a placeholder
 * (before 2000). Timestamps without a zone (as most JUnit writers emit them) are taken as UTC;
 * `2021-03-07T10:36:56 UTC` is understood. Numbers are milliseconds since the epoch.
 */
export function normalizeTimestamp(raw: unknown): string | undefined {
  if (typeof raw === 'number') {
    return Number.isFinite(raw) && raw >= EARLIEST && raw < 8.64e15 ? new Date(raw).toISOString() : undefined;
  }
  if (typeof raw !== 'string') return undefined;
  let text = raw.trim().replace(/\s*(UTC|GMT)$/i, 'Z');
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  text = text.replace(/^(\d{4}-\d{2}-\d{2})[ ](?=\d)/, '$1T');
  if (/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) text += 'Z';
  const ms = Date.parse(text);
  return Number.isNaN(ms) || ms < EARLIEST ? undefined : new Date(ms).toISOString();
}
