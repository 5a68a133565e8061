import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hash64Hex } from '../../src/core/hash64.js';

describe('hash64Hex', () => {
  it('is pinned: its output names the cache files, so a change here must bump the cache key version', () => {
    expect(hash64Hex('')).toBe('488bdcb81aee8d83');
    expect(hash64Hex('a')).toBe('501c2ba782c97901');
    expect(hash64Hex('creds')).toBe('94f047522ee14cd5');
    expect(hash64Hex('[["profile","dev"]]')).toBe('39a005113364c728');
    expect(hash64Hex('é😀')).toBe('82016db748ff104e');
  });

  it('gives 16 hex digits and distinct values for distinct texts', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 300 }),
        fc.string({ unit: 'grapheme', maxLength: 300 }),
        (a, b) => {
          expect(hash64Hex(a)).toMatch(/^[0-9a-f]{16}$/);
          if (a !== b) expect(hash64Hex(a)).not.toBe(hash64Hex(b));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('changes with a one-character edit anywhere in a profile-sized text', () => {
    const base = JSON.stringify([
      ['config', '/home/dev/.aws/config'],
      ['k:fedlogin_role_arn', 'arn:aws:iam::123456789012:role/dev'],
      ['profile', 'dev'],
    ]);
    const seen = new Set([hash64Hex(base)]);
    for (let i = 0; i < base.length; i++) {
      const edited = `${base.slice(0, i)}${String.fromCharCode(base.charCodeAt(i) ^ 1)}${base.slice(i + 1)}`;
      seen.add(hash64Hex(edited));
    }
    expect(seen.size).toBe(base.length + 1);
  });
});
