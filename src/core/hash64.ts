/**
 * A fast 64-bit string hash (two 32-bit multiply-xorshift lanes over the UTF-16 code units, in the
 * manner of cyrb53), as 16 lowercase hex digits. For naming cache entries on credential-process's
 * cache hit, where SHA-256 in plain JavaScript costs about a millisecond cold, this microseconds.
 * Not cryptographic: a collision can be made on purpose, so use it only where whoever could make
 * one already controls the result (see credentialCache.ts). Its output is part of the cache's file
 * names: changing it moves every entry (bump the key's version).
 */
export function hash64Hex(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return hex8(h2) + hex8(h1);
}

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
