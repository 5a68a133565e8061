import fc from 'fast-check';

/** Characters and sequences that break naive quoting in at least one of the formats. */
export const NASTY = [
  "'",
  '"',
  '$',
  '`',
  '\\',
  '\n',
  '\r',
  '\r\n',
  '\t',
  ' ',
  '  ',
  '!',
  '%',
  '#',
  '=',
  '<<',
  '{',
  '}',
  '(',
  ')',
  ';',
  '&',
  '|',
  '<',
  '>',
  '*',
  '?',
  '[',
  ']',
  '~',
  '^',
  ',',
  ':',
  '::',
  '\u2018',
  '\u2019',
  '\u201A',
  '\u201B',
  '\u201C',
  '\u201D',
  '\u201E',
  '\u2028',
  '\u2029',
  '\u0085',
  '\x1b',
  '\x7f',
  '\x01',
  '\u00a0',
  '\ufeff',
  'é',
  'e\u0301',
  '€',
  '😀',
  '👨‍👩‍👧',
  '\uF600',
  '\uFDD0',
  '${',
  '${HOME}',
  '${X:-y}',
  '$(id)',
  '$HOME',
  '`id`',
  '\\n',
  '\\\\',
  "\\'",
  '\\"',
  '%0A',
  '%25',
  '%0D',
  'EOF',
  'ghadelimiter_',
  "'\\''",
  'export',
  'set',
  '-gx',
  '--',
  'a',
  'Z',
  '0',
  '/',
  '+',
  '_',
];

const nastyUnit = fc.constantFrom(...NASTY);
const graphemeUnit = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 });

/**
 * Arbitrary values a variable might hold: dense in quoting hazards, plus arbitrary graphemes and
 * code points. Never NUL, which no environment variable can hold.
 */
export const envValue: fc.Arbitrary<string> = fc
  .oneof(
    fc.string({ unit: nastyUnit, maxLength: 24 }),
    fc.string({ unit: fc.oneof(nastyUnit, graphemeUnit), maxLength: 24 }),
    fc.string({ unit: 'grapheme', maxLength: 16 }),
    fc.string({ unit: 'binary', maxLength: 16 }),
    fc.string({ maxLength: 40 }),
  )
  .map((s) => s.replaceAll('\0', ''));

/** Like envValue, but shaped so most values have a dotenv form (no `"`, few backslashes). */
export const dotenvFriendlyValue: fc.Arbitrary<string> = envValue.map((s) =>
  s.replaceAll('"', "'").replace(/\\+(?=$|[\\'"abfnrtv\n\r])/g, '/'),
);

/** Realistic credential material: what STS hands out. */
export const credentials = fc.record({
  accessKeyId: fc.stringMatching(/^(ASIA|AKIA)[A-Z2-7]{16}$/),
  secretAccessKey: fc.stringMatching(/^[A-Za-z0-9/+]{40}$/),
  sessionToken: fc.option(fc.stringMatching(/^[A-Za-z0-9/+]{100,400}={0,2}$/), { nil: undefined }),
  expiration: fc.date({
    min: new Date('2000-01-01T00:00:00Z'),
    max: new Date('2999-12-31T23:59:59Z'),
    noInvalidDate: true,
  }),
  accountId: fc.option(fc.stringMatching(/^\d{12}$/), { nil: undefined }),
});
