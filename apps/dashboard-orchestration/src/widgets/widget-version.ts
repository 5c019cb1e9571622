import { createHash } from 'node:crypto';

/** A widget's data version: a hash of its JSON (same data, same version, on every instance). */
export function widgetVersion(data: unknown): string {
  return createHash('sha1').update(JSON.stringify(data)).digest('base64url').slice(0, 16);
}
