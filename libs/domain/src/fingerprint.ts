import { createHash } from 'node:crypto';

const RULES: Array<[RegExp, string]> = [
  // ISO and common timestamps, before numbers are stripped.
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?\b/g, '<ts>'],
  [/\b\d{2}:\d{2}:\d{2}(\.\d+)?\b/g, '<time>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  [/\b[0-9a-f]{12,}\b/gi, '<hex>'],
  // Paths (unix and windows) keep their last segment: the file says more than where it was checked out.
  [/(?:[A-Za-z]:)?(?:[\\/][\w.@~+-]+)+[\\/]([\w.@+-]+)/g, '$1'],
  // Line and column numbers.
  [/:\d+(:\d+)?\b/g, ':<n>'],
  [/\b\d+(\.\d+)?\b/g, '<n>'],
  [/\s+/g, ' '],
];

/** A failure message with the parts that differ between occurrences of the same problem removed. */
export function normalizeFailureText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  return out.trim().toLowerCase();
}

/** The top frames of a stack trace (JS, Java, Python, .NET, Go styles), normalised. */
export function topStackFrames(stack: string | undefined, count = 3): string[] {
  if (!stack) return [];
  const frames = stack
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^(at |File "|[\w$.<>]+\(.*\)$|\w[\w./]*\.go:\d+)/.test(line));
  return frames.slice(0, count).map(normalizeFailureText);
}

export interface FailureFingerprint {
  /** 16 hex characters; equal for failures that are the same problem. */
  hash: string;
  /** What the hash was computed from (for people). */
  normalized: string;
}

export function failureFingerprint(error: {
  type?: string;
  message?: string;
  stack?: string;
}): FailureFingerprint {
  const firstLine = (error.message ?? '').split('\n')[0].slice(0, 2000);
  const parts = [error.type ?? '', normalizeFailureText(firstLine), ...topStackFrames(error.stack)];
  const normalized = parts.filter(Boolean).join(' | ');
  return { hash: createHash('sha256').update(normalized).digest('hex').slice(0, 16), normalized };
}
