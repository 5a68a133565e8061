import { describe, expect, it } from 'vitest';
import { FedloginError } from '../../src/core/errors.js';
import { decodeJwtClaims, describeClaims } from '../../src/core/jwtClaims.js';
import { createLogger, redact } from '../../src/core/logger.js';
import { sanitizeSessionName } from '../../src/core/sessionName.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: unknown) => `${b64({ alg: 'RS256' })}.${b64(claims)}.c2ln`;

describe('decodeJwtClaims', () => {
  it('reads the payload of a JWT without verifying it', () => {
    const claims = decodeJwtClaims(
      jwt({ iss: 'https://issuer', aud: 'sts.amazonaws.com', sub: 'repo:o/r', exp: 1_900_000_000 }),
    );
    expect(claims).toMatchObject({ iss: 'https://issuer', aud: 'sts.amazonaws.com', sub: 'repo:o/r' });
  });

  it.each([
    ['not-a-jwt'],
    ['a.b'],
    ['..'],
    [`${b64({})}.bm90IGpzb24.sig`],
    [`${b64({})}.${Buffer.from('[1,2]').toString('base64url')}.sig`],
  ])('refuses %s with TOKEN_NOT_JWT and does not echo it', (value) => {
    try {
      decodeJwtClaims(value);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(FedloginError);
      expect((error as FedloginError).code).toBe('TOKEN_NOT_JWT');
      expect((error as FedloginError).kind).toBe('usage');
      if (value.length > 4) expect((error as Error).message).not.toContain(value);
    }
  });

  it('describes claims with ISO expiry and list audiences', () => {
    expect(describeClaims({ iss: 'i', aud: ['a', 'b'], sub: 's', exp: 0 })).toBe(
      'iss=i, aud=a b, sub=s, exp=1970-01-01T00:00:00.000Z',
    );
    expect(describeClaims({})).toBe('iss=(none), aud=(none), sub=(none), exp=(none)');
  });
});

describe('sanitizeSessionName', () => {
  it.each([
    ['repo:octo-org/octo-repo:ref:refs/heads/main', 'repo-octo-org-octo-repo-ref-refs-heads-main'],
    ['alice@example.com', 'alice@example.com'],
    ['a', 'fedlogin'],
    [undefined, 'fedlogin'],
    ['système:compte', 'syst-me-compte'],
    ['x'.repeat(100), 'x'.repeat(64)],
    ['  --ok--  ', 'ok'],
  ])('%s -> %s', (raw, expected) => {
    const name = sanitizeSessionName(raw);
    expect(name).toBe(expected);
    expect(name).toMatch(/^[\w+=,.@-]{2,64}$/);
  });
});

describe('redaction', () => {
  it('removes registered secrets, JWT shapes and long base64 blobs', () => {
    const token = jwt({ sub: 'x' });
    const text = `key=SECRETVALUE123 token=${token} blob=${'A'.repeat(300)}`;
    const out = redact(text, ['SECRETVALUE123']);
    expect(out).not.toContain('SECRETVALUE123');
    expect(out).not.toContain(token);
    expect(out).not.toContain('A'.repeat(300));
  });

  it('the logger redacts what it writes and honours --debug and --quiet', () => {
    const lines: string[] = [];
    const logger = createLogger({ debug: false, write: (l) => lines.push(l) });
    logger.addSecret('hunter2hunter2');
    logger.notice('the secret is hunter2hunter2');
    logger.debug('hidden');
    expect(lines).toEqual(['the secret is [redacted]']);
    const quiet = createLogger({ quiet: true, debug: true, write: (l) => lines.push(l) });
    quiet.notice('not shown');
    quiet.debug('shown');
    expect(lines.at(-1)).toBe('[debug] shown');
  });
});

describe('loadOptional', () => {
  it('turns a missing optional package into one clear usage error, and passes other failures on', async () => {
    const { loadOptional } = await import('../../src/core/optionalModule.js');
    const missing = loadOptional(
      () => import('fedlogin-no-such-package' as string),
      'fedlogin-no-such-package',
      'Testing',
    );
    await expect(missing).rejects.toMatchObject({ code: 'OPTIONAL_MODULE_MISSING', kind: 'usage' });
    await expect(missing).rejects.toThrow(/Testing needs the package fedlogin-no-such-package/);
    await expect(loadOptional(() => Promise.reject(new Error('boom')), 'x', 'y')).rejects.toThrow('boom');
    await expect(loadOptional(() => import('node:path'), 'node:path', 'y')).resolves.toHaveProperty('join');
  });
});
