import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STS_SESSION_SECONDS } from '../../src/aws/durationFallback.js';
import { ProfileValues } from '../../src/config/profileValues.js';
import { durationInRange, formatDuration, parseDuration, requireDuration } from '../../src/core/duration.js';

describe('the duration grammar', () => {
  it.each([
    ['900', 900],
    ['90s', 90],
    ['15m', 900],
    ['1h', 3600],
    ['1h30m', 5400],
    ['1h30m15s', 5415],
    ['2m30s', 150],
    ['12h', 43_200],
    ['3600s', 3600],
    [' 1H 30M ', 5400],
    ['15 m', 900],
    ['0', 0],
  ])('%j -> %d seconds', (value, seconds) => expect(parseDuration(value)).toBe(seconds));

  it.each([
    '',
    ' ',
    'abc',
    '-1',
    '1.5h',
    '1d',
    '30m1h',
    '1h1h',
    '1h30',
    'h',
    'm30',
    '15 minutes',
    '1e3',
    '0x10',
    '99999999999999999999',
  ])('refuses %j', (value) => expect(parseDuration(value)).toBeUndefined());

  const parts = fc.record({ h: fc.nat(1000), m: fc.nat(1000), s: fc.nat(100_000) });

  it('reads hours, minutes and seconds as their sum, each part optional', () => {
    fc.assert(
      fc.property(parts, fc.boolean(), fc.boolean(), fc.boolean(), ({ h, m, s }, withH, withM, withS) => {
        fc.pre(withH || withM || withS);
        const text = `${withH ? `${h}h` : ''}${withM ? `${m}m` : ''}${withS ? `${s}s` : ''}`;
        expect(parseDuration(text)).toBe((withH ? h * 3600 : 0) + (withM ? m * 60 : 0) + (withS ? s : 0));
      }),
    );
  });

  it('reads back what it formats, and a bare number as seconds', () => {
    fc.assert(
      fc.property(fc.nat(10_000_000), (seconds) => {
        expect(parseDuration(formatDuration(seconds))).toBe(seconds);
        expect(parseDuration(String(seconds))).toBe(seconds);
      }),
    );
  });

  it('never throws, and gives a whole number of seconds or nothing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (text) => {
        const seconds = parseDuration(text);
        expect(seconds === undefined || (Number.isSafeInteger(seconds) && seconds >= 0)).toBe(true);
      }),
    );
  });

  it('formats the shortest form', () => {
    expect([900, 3600, 5400, 90, 43_200, 0, 1].map(formatDuration)).toEqual([
      '15m',
      '1h',
      '1h30m',
      '1m30s',
      '12h',
      '0s',
      '1s',
    ]);
  });
});

describe("ranges are the caller's, and the error names the flag or the key", () => {
  it('accepts exactly the lengths in the range', () => {
    fc.assert(
      fc.property(fc.nat(50_000), (seconds) => {
        const inRange = seconds >= STS_SESSION_SECONDS.min && seconds <= STS_SESSION_SECONDS.max;
        expect('seconds' in durationInRange(formatDuration(seconds), STS_SESSION_SECONDS)).toBe(inRange);
      }),
    );
  });

  it('a flag: a usage error with its code, naming the flag, the range and the grammar', () => {
    expect(requireDuration('1h30m', STS_SESSION_SECONDS, '--duration')).toBe(5400);
    const error = (() => {
      try {
        requireDuration('13h', STS_SESSION_SECONDS, '--duration');
      } catch (e) {
        return e as { code: string; kind: string; message: string };
      }
    })();
    expect(error).toMatchObject({ code: 'DURATION_INVALID', kind: 'usage' });
    expect(error?.message).toBe(
      '--duration must be between 900 seconds (15m) and 43200 seconds (12h), written as 900 (seconds), 90s, 15m, 1h or 1h30m; got "13h".',
    );
    expect(() => requireDuration('0', { min: 1, max: 60 }, '--silent-timeout', 'TIMEOUT_INVALID')).toThrow(
      expect.objectContaining({ code: 'TIMEOUT_INVALID' }),
    );
  });

  it('a profile key: the file, section and key', () => {
    const profile = new ProfileValues({
      name: 'dev',
      file: '/h/.aws/config',
      section: 'profile dev',
      values: { fedlogin_duration: '1h30m', fedlogin_login_timeout: '2d' },
    });
    expect(profile.seconds('fedlogin_duration', STS_SESSION_SECONDS)).toBe(5400);
    expect(profile.seconds('fedlogin_silent_timeout', { min: 1, max: 120 })).toBeUndefined();
    expect(() => profile.seconds('fedlogin_login_timeout', { min: 5, max: 3600 })).toThrow(
      expect.objectContaining({
        code: 'PROFILE_INVALID',
        message: expect.stringMatching(
          /^\/h\/\.aws\/config \[profile dev\] fedlogin_login_timeout: must be between 5 seconds/,
        ),
      }),
    );
  });
});
