import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Credentials } from '../../src/core/credentials.js';
import { FedloginError } from '../../src/core/errors.js';
import { formatCredentialProcessJson, parseCredentialProcessJson } from '../../src/output/credentialProcessJson.js';
import { assertFuzz } from '../support/harness/fuzz.js';
import { credentials } from './arbitraries.js';

const creds: Credentials = {
  accessKeyId: 'ASIAEXAMPLEKEY123456',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN==',
  expiration: new Date('2026-01-01T12:00:00.987Z'),
};

function parseError(text: string): FedloginError {
  try {
    parseCredentialProcessJson(text);
  } catch (error) {
    expect(error).toBeInstanceOf(FedloginError);
    return error as FedloginError;
  }
  throw new Error('expected parseCredentialProcessJson to throw');
}

describe('formatCredentialProcessJson', () => {
  it('writes the exact credential_process line, Version the number 1, Expiration in whole seconds UTC', () => {
    expect(formatCredentialProcessJson(creds)).toBe(
      '{"Version":1,"AccessKeyId":"ASIAEXAMPLEKEY123456","SecretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",' +
        '"SessionToken":"FwoGZXIvYXdzEXAMPLETOKEN==","Expiration":"2026-01-01T12:00:00Z"}\n',
    );
  });

  it('omits SessionToken when absent or empty, and adds AccountId when known', () => {
    const { sessionToken: _, ...noToken } = creds;
    expect(formatCredentialProcessJson({ ...noToken, accountId: '123456789012' })).toBe(
      '{"Version":1,"AccessKeyId":"ASIAEXAMPLEKEY123456","SecretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",' +
        '"Expiration":"2026-01-01T12:00:00Z","AccountId":"123456789012"}\n',
    );
    expect(formatCredentialProcessJson({ ...creds, sessionToken: '' })).not.toContain('SessionToken');
  });

  it('is one line of JSON with a newline at the end, whatever the values hold', () => {
    const out = formatCredentialProcessJson({ ...creds, secretAccessKey: 'a"b\\c\nd\u2028' });
    expect(out.endsWith('\n')).toBe(true);
    expect(out.slice(0, -1)).not.toMatch(/[\n\r]/);
    expect(JSON.parse(out).SecretAccessKey).toBe('a"b\\c\nd\u2028');
  });

  it('refuses an invalid expiration as an internal error', () => {
    expect(() => formatCredentialProcessJson({ ...creds, expiration: new Date(Number.NaN) })).toThrow(
      expect.objectContaining({ code: 'EXPIRATION_INVALID', kind: 'internal' }),
    );
  });

  it('round-trips through parseCredentialProcessJson (expiration cut to the second)', () => {
    assertFuzz(
      fc.property(credentials, (c) => {
        const back = parseCredentialProcessJson(formatCredentialProcessJson(c));
        expect(back).toEqual({
          accessKeyId: c.accessKeyId,
          secretAccessKey: c.secretAccessKey,
          ...(c.sessionToken && { sessionToken: c.sessionToken }),
          expiration: new Date(Math.floor(c.expiration.getTime() / 1000) * 1000),
          ...(c.accountId && { accountId: c.accountId }),
        });
      }),
      { numRuns: 300 },
      'output formats: credentialProcessJson (test/output/credentialProcessJson.test.ts)',
    );
  });
});

describe('parseCredentialProcessJson', () => {
  it('reads what the SDKs read, with whitespace around and extra fields ignored', () => {
    const text =
      '  {"Version":1,"AccessKeyId":"AKID","SecretAccessKey":"SECRET","SessionToken":"TOKEN",' +
      '"Expiration":"2026-01-01T12:00:00+02:00","AccountId":"123456789012","CredentialScope":"x"}\n';
    expect(parseCredentialProcessJson(text)).toEqual({
      accessKeyId: 'AKID',
      secretAccessKey: 'SECRET',
      sessionToken: 'TOKEN',
      expiration: new Date('2026-01-01T10:00:00Z'),
      accountId: '123456789012',
    });
  });

  it('treats an absent, null or empty SessionToken / AccountId as not given', () => {
    for (const extra of ['', ',"SessionToken":null,"AccountId":null', ',"SessionToken":"","AccountId":""']) {
      const parsed = parseCredentialProcessJson(
        `{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"2026-01-01T00:00:00Z"${extra}}`,
      );
      expect(parsed).toEqual({ accessKeyId: 'A', secretAccessKey: 'S', expiration: new Date('2026-01-01T00:00:00Z') });
      expect('sessionToken' in parsed).toBe(false);
    }
  });

  it.each([
    [
      'not JSON',
      '{"Version":1,"SecretAccessKey":"SUPERSECRET"',
      'CREDENTIAL_PROCESS_INVALID_JSON',
      /is not valid JSON/,
    ],
    ['a JSON array', '[1]', 'CREDENTIAL_PROCESS_INVALID_JSON', /is not a JSON object/],
    ['null', 'null', 'CREDENTIAL_PROCESS_INVALID_JSON', /is not a JSON object/],
    [
      'Version missing',
      '{"AccessKeyId":"A","SecretAccessKey":"S"}',
      'CREDENTIAL_PROCESS_VERSION',
      /has no Version; only Version 1/,
    ],
    ['Version the string "1"', '{"Version":"1"}', 'CREDENTIAL_PROCESS_VERSION', /has Version "1" \(a string\)/],
    ['Version 2', '{"Version":2}', 'CREDENTIAL_PROCESS_VERSION', /has Version 2;/],
    [
      'AccessKeyId missing',
      '{"Version":1,"SecretAccessKey":"S"}',
      'CREDENTIAL_PROCESS_MISSING_KEYS',
      /has no AccessKeyId\./,
    ],
    [
      'SecretAccessKey empty',
      '{"Version":1,"AccessKeyId":"A","SecretAccessKey":""}',
      'CREDENTIAL_PROCESS_MISSING_KEYS',
      /SecretAccessKey that is not a non-empty string/,
    ],
    [
      'AccessKeyId a number',
      '{"Version":1,"AccessKeyId":5,"SecretAccessKey":"S"}',
      'CREDENTIAL_PROCESS_MISSING_KEYS',
      /AccessKeyId that is not/,
    ],
    [
      'SessionToken an object',
      '{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","SessionToken":{}}',
      'CREDENTIAL_PROCESS_INVALID_FIELD',
      /SessionToken that is not a string/,
    ],
    [
      'Expiration missing',
      '{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S"}',
      'CREDENTIAL_PROCESS_EXPIRATION',
      /has no Expiration/,
    ],
    [
      'Expiration unparseable',
      '{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"tomorrow"}',
      'CREDENTIAL_PROCESS_EXPIRATION',
      /not an RFC 3339 date-time: "tomorrow"/,
    ],
    [
      'Expiration not RFC 3339',
      '{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"Thu, 01 Jan 2026 00:00:00 GMT"}',
      'CREDENTIAL_PROCESS_EXPIRATION',
      /not an RFC 3339/,
    ],
    [
      'Expiration a number',
      '{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","Expiration":1767225600}',
      'CREDENTIAL_PROCESS_EXPIRATION',
      /date-time: a number/,
    ],
  ])('refuses %s with a usage error', (_, text, code, message) => {
    const error = parseError(text);
    expect(error.code).toBe(code);
    expect(error.kind).toBe('usage');
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/^The credential_process output /);
  });

  it('never puts a key or token into an error message or its cause', () => {
    const secret = 'SUPERSECRET-value-1234';
    const texts = [
      `{"Version":1,"AccessKeyId":"${secret}","SecretAccessKey":"${secret}"`,
      `{"Version":1,"AccessKeyId":"${secret}","SecretAccessKey":"${secret}","SessionToken":7,"Expiration":"2026-01-01T00:00:00Z"}`,
      `{"Version":1,"AccessKeyId":"${secret}","SecretAccessKey":"${secret}","SessionToken":"${secret}","Expiration":"x"}`,
      `{"Version":"${secret}","AccessKeyId":"${secret}"}`,
    ];
    for (const text of texts) {
      const error = parseError(text);
      expect(`${error.message} ${error.hint} ${String(error.cause)}`).not.toContain(secret);
      expect(error.cause).toBeUndefined();
    }
  });

  it('names the source it was given', () => {
    expect(parseErrorWithSource('{}', 'The cached credentials').message).toMatch(
      /^The cached credentials has no Version/,
    );
  });
});

function parseErrorWithSource(text: string, source: string): FedloginError {
  try {
    parseCredentialProcessJson(text, source);
  } catch (error) {
    return error as FedloginError;
  }
  throw new Error('expected a throw');
}
