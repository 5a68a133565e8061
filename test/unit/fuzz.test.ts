/**
 * Fuzzing with fast-check where the other suites had no generated inputs: JWT claim decoding (any
 * string a user may hand over as a token) and the credential_process JSON parser (anything a
 * credential_process may print). Each family records its generated cases for docs/reliability.md.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FedloginError } from '../../src/core/errors.js';
import { decodeJwtClaims } from '../../src/core/jwtClaims.js';
import { formatCredentialProcessJson, parseCredentialProcessJson } from '../../src/output/credentialProcessJson.js';
import { assertFuzz } from '../support/harness/fuzz.js';

const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** Strings that are JWT-shaped in part: random segments, base64url JSON of any value, stray dots and blanks. */
const segment = fc.oneof(
  fc.string(),
  fc.base64String().map((s) => s.replace(/=+$/, '')),
  fc.jsonValue().map((v) => b64url(JSON.stringify(v))),
  fc
    .dictionary(fc.constantFrom('iss', 'aud', 'sub', 'exp', 'iat', '__proto__', 'constructor'), fc.jsonValue())
    .map((o) => b64url(JSON.stringify(o))),
  fc.constantFrom('', ' ', '.', '..', '\u0000', 'eyJ', '%%%', b64url('{'), b64url('null'), b64url('[1]')),
);
const tokenLike = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.tuple(segment, segment, segment).map((p) => p.join('.')),
  fc.array(segment, { maxLength: 6 }).map((p) => p.join('.')),
  fc
    .tuple(fc.constantFrom(' ', '\n', '\t', ''), segment, segment, segment)
    .map(([ws, a, b, c]) => `${ws}${a}.${b}.${c}${ws}`),
);

/** The outcome of a parser on any input: a value, or a usage FedloginError; never another exception. */
function outcome<T>(parse: () => T): { value: T } | { error: FedloginError } {
  try {
    return { value: parse() };
  } catch (error) {
    expect(error).toBeInstanceOf(FedloginError);
    expect((error as FedloginError).kind).toBe('usage');
    return { error: error as FedloginError };
  }
}

describe('fuzz: JWT claim decoding', () => {
  const RUNS = 3000;
  it(`any string is either claims (a plain object) or TOKEN_NOT_JWT, never echoed (${RUNS} runs)`, () => {
    assertFuzz(
      fc.property(tokenLike, (token) => {
        const result = outcome(() => decodeJwtClaims(token));
        if ('value' in result) {
          expect(typeof result.value).toBe('object');
          expect(Array.isArray(result.value)).toBe(false);
          expect(result.value).not.toBeNull();
        } else {
          expect(result.error.code).toBe('TOKEN_NOT_JWT');
          const text = `${result.error.message} ${result.error.hint ?? ''}`;
          if (token.trim().length >= 8) expect(text).not.toContain(token.trim());
          for (const part of token.split('.')) if (part.length >= 12) expect(text).not.toContain(part);
        }
      }),
      { numRuns: RUNS },
      'JWT claim decoding (src/core/jwtClaims.ts)',
    );
  });
});

describe('fuzz: credential_process JSON parser', () => {
  const RUNS = 2000;
  const field = fc.oneof(
    fc.string(),
    fc.integer(),
    fc.constant(null),
    fc.boolean(),
    fc.jsonValue(),
    fc.constant(undefined),
  );
  const expiration = fc.oneof(
    fc
      .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
      .map((d) => d.toISOString()),
    fc.string(),
    fc.constantFrom(
      '2026-01-01T12:00:00Z',
      '2026-01-01T12:00:00+02:00',
      '2026-01-01 12:00:00',
      '2026-02-30T00:00:00Z',
      'T',
      '',
    ),
    field,
  );
  const secret = fc.string({ minLength: 16, maxLength: 60 }).map((s) => `SECRET${s.replace(/[^A-Za-z0-9/+]/g, 'x')}`);
  const document = fc.record(
    {
      Version: fc.oneof(fc.constant(1), fc.constant('1'), fc.constant(2), field),
      AccessKeyId: fc.oneof(fc.constant('ASIAEXAMPLE'), field),
      SecretAccessKey: fc.oneof(secret, field),
      SessionToken: fc.oneof(secret, field),
      Expiration: expiration,
      AccountId: fc.oneof(fc.constant('123456789012'), field),
    },
    { requiredKeys: [] },
  );
  const input = fc.oneof(
    document.map((d) => JSON.stringify(d)),
    fc.string(),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    document.map((d) => JSON.stringify(d).slice(0, -1)), // truncated
  );

  it(`any output of a credential_process parses or fails as a usage error without its secrets (${RUNS} runs)`, () => {
    assertFuzz(
      fc.property(input, (text) => {
        const result = outcome(() => parseCredentialProcessJson(text));
        if ('value' in result) {
          expect(Number.isNaN(result.value.expiration.getTime())).toBe(false);
          // what parsed formats and parses back to the same credentials (expiration to the second)
          const again = parseCredentialProcessJson(formatCredentialProcessJson(result.value));
          expect(again.accessKeyId).toBe(result.value.accessKeyId);
          expect(again.secretAccessKey).toBe(result.value.secretAccessKey);
          expect(again.sessionToken).toBe(result.value.sessionToken);
          expect(again.expiration.getTime()).toBe(Math.floor(result.value.expiration.getTime() / 1000) * 1000);
        } else {
          const shown = `${result.error.message} ${result.error.hint ?? ''}`;
          for (const match of text.matchAll(/SECRET[A-Za-z0-9/+]{16,}/g)) expect(shown).not.toContain(match[0]);
        }
      }),
      { numRuns: RUNS },
      'credential_process JSON parser (src/output/credentialProcessJson.ts)',
    );
  });
});
