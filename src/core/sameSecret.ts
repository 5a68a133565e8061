import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether a presented secret (a token, an unguessable path) equals the expected one, compared in
 * constant time over equal-length digests, so neither its content nor its length leaks through
 * timing. An absent value never matches.
 */
export function sameSecret(presented: string | undefined, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(presented ?? ''), digest(expected)) && presented !== undefined;
}
