import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatRfc3339Seconds, parseRfc3339 } from '../../src/output/rfc3339.js';
import { assertFuzz } from '../support/harness/fuzz.js';

describe('formatRfc3339Seconds', () => {
  it('writes UTC with a Z and no fraction, rounding down', () => {
    expect(formatRfc3339Seconds(new Date('2026-01-01T12:00:00.999Z'))).toBe('2026-01-01T12:00:00Z');
    expect(formatRfc3339Seconds(new Date('2026-07-01T23:59:59+02:00'))).toBe('2026-07-01T21:59:59Z');
    expect(formatRfc3339Seconds(new Date('0001-01-01T00:00:00Z'))).toBe('0001-01-01T00:00:00Z');
    expect(formatRfc3339Seconds(new Date('1969-12-31T23:59:59.500Z'))).toBe('1969-12-31T23:59:59Z');
  });

  it('agrees with toISOString cut to whole seconds for every date it accepts', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0000-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59.999Z'),
          noInvalidDate: true,
        }),
        (date) => {
          expect(formatRfc3339Seconds(date)).toBe(`${date.toISOString().slice(0, 19)}Z`);
        },
      ),
    );
  });

  it('refuses invalid dates and years that need more than four digits', () => {
    expect(() => formatRfc3339Seconds(new Date(Number.NaN))).toThrow(expect.objectContaining({ kind: 'internal' }));
    expect(() => formatRfc3339Seconds(new Date('+010000-01-01T00:00:00Z'))).toThrow(
      expect.objectContaining({ kind: 'internal' }),
    );
  });
});

describe('parseRfc3339', () => {
  it.each([
    ['2026-01-01T12:00:00Z', '2026-01-01T12:00:00.000Z'],
    ['2026-01-01t12:00:00z', '2026-01-01T12:00:00.000Z'],
    ['2026-01-01T12:00:00.123456789Z', '2026-01-01T12:00:00.123Z'],
    ['2026-01-01T12:00:00+05:30', '2026-01-01T06:30:00.000Z'],
    ['2026-01-01T00:00:00-01:00', '2026-01-01T01:00:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['0050-06-01T00:00:00Z', '0050-06-01T00:00:00.000Z'],
  ])('reads %s', (text, iso) => {
    expect(parseRfc3339(text)?.toISOString()).toBe(iso);
  });

  it.each([
    '2026-02-29T00:00:00Z', // not a leap year (Date.parse accepts it)
    '2026-02-30T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-01-01T24:00:00Z', // Date.parse accepts it
    '2026-01-01T23:59:60Z', // leap second: Go rejects
    '2026-13-01T00:00:00Z',
    '2026-01-01T00:00:00', // no offset
    '2026-01-01 00:00:00Z',
    '2026-01-01',
    '1767225600',
    'Thu, 01 Jan 2026 00:00:00 GMT',
    '2026-01-01T00:00:00+24:00',
    ' 2026-01-01T00:00:00Z',
  ])('refuses %s', (text) => {
    expect(parseRfc3339(text)).toBeUndefined();
  });

  it('reads back every formatted date, cut to the second', () => {
    assertFuzz(
      fc.property(
        fc.date({
          min: new Date('0000-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59.999Z'),
          noInvalidDate: true,
        }),
        (d) => {
          expect(parseRfc3339(formatRfc3339Seconds(d))?.getTime()).toBe(Math.floor(d.getTime() / 1000) * 1000);
        },
      ),
      { numRuns: 500 },
      'output formats: rfc3339 (test/output/rfc3339.test.ts)',
    );
  });

  it('agrees with Date.parse on valid timestamps with offsets and fractions', () => {
    const stamp = fc
      .record({
        d: fc.date({
          min: new Date('1970-01-01T00:00:00Z'),
          max: new Date('2999-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fraction: fc.option(fc.stringMatching(/^\.\d{1,3}$/), { nil: '' }),
        offset: fc.constantFrom('Z', '+00:00', '+05:30', '-08:00', '+14:00', '-12:00'),
      })
      .map(({ d, fraction, offset }) => `${d.toISOString().slice(0, 19)}${fraction}${offset}`);
    assertFuzz(
      fc.property(stamp, (text) => {
        expect(parseRfc3339(text)?.getTime()).toBe(Date.parse(text));
      }),
      { numRuns: 500 },
      'output formats: rfc3339 (test/output/rfc3339.test.ts)',
    );
  });
});
