import { createHash } from 'node:crypto';

/**
 * The stable identity of a test across runs: project + suite + name + file. 24 hex characters of
 * SHA-256 (96 bits): collisions are negligible for any realistic catalogue.
 */
export function testId(project: string, suite: string, name: string, file?: string): string {
  return createHash('sha256')
    .update([project, suite, name, file ?? ''].join('\u0000'))
    .digest('hex')
    .slice(0, 24);
}
