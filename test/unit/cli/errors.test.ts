/** How failures leave the CLI: the exit code of each error kind, and the lines reportError writes. */
import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeFor } from '../../../src/cli/exitCodes.js';
import { reportError } from '../../../src/cli/reportError.js';
import {
  abortedError,
  type ErrorKind,
  FedloginError,
  refusedError,
  unreachableError,
  usageError,
} from '../../../src/core/errors.js';
import { createLogger } from '../../../src/core/logger.js';

const BUG_LINE = '  This is a bug in fedlogin; please report it with the output of the same command run with --debug.';

function report(error: unknown, options: { debug?: boolean; redact?: (text: string) => string } = {}): string {
  let out = '';
  reportError(error, {
    debug: options.debug ?? false,
    ...(options.redact ? { redact: options.redact } : {}),
    write: (text) => {
      out += text;
    },
  });
  return out;
}

describe('exit codes', () => {
  it.each<[ErrorKind, number]>([
    ['usage', 2],
    ['refused', 3],
    ['unreachable', 4],
    ['aborted', 130],
    ['internal', 1],
  ])('a FedloginError of kind %s exits %i', (kind, code) => {
    expect(exitCodeFor(new FedloginError('PROFILE_REQUIRED', 'm', { kind }))).toBe(code);
  });

  it('the factories give the kinds their names promise', () => {
    expect(exitCodeFor(usageError('PROFILE_REQUIRED', 'm'))).toBe(EXIT.usage);
    expect(exitCodeFor(refusedError('STS_ACCESS_DENIED', 'm'))).toBe(EXIT.refused);
    expect(exitCodeFor(unreachableError('STS_UNREACHABLE', 'm'))).toBe(EXIT.unreachable);
    expect(exitCodeFor(abortedError())).toBe(EXIT.aborted);
  });

  it.each([new Error('boom'), new TypeError('x is undefined'), 'a string', undefined, null, { kind: 'usage' }])(
    'anything else is internal (1): %j',
    (error) => {
      expect(exitCodeFor(error)).toBe(EXIT.internal);
    },
  );

  it('the codes are the documented ones, all different', () => {
    expect(EXIT).toEqual({ ok: 0, internal: 1, usage: 2, refused: 3, unreachable: 4, aborted: 130 });
    expect(new Set(Object.values(EXIT)).size).toBe(Object.keys(EXIT).length);
  });
});

describe('reportError', () => {
  it('a FedloginError: one line, then its hint indented', () => {
    expect(report(usageError('PROFILE_REQUIRED', 'Say which profile.', { hint: 'Pass --profile NAME.' }))).toBe(
      'fedlogin: Say which profile.\n  Pass --profile NAME.\n',
    );
  });

  it('without a hint, just the line', () => {
    expect(report(refusedError('STS_ACCESS_DENIED', 'STS refused the role.'))).toBe(
      'fedlogin: STS refused the role.\n',
    );
  });

  it('no stack, code or cause without --debug', () => {
    const error = usageError('OPTION_INVALID', 'Bad value.', { cause: new Error('underneath') });
    const out = report(error);
    expect(out).toBe('fedlogin: Bad value.\n');
    expect(out).not.toContain('underneath');
    expect(out).not.toContain('code:');
  });

  it('with --debug: the stack, the code and the cause chain', () => {
    const root = new Error('socket hang up');
    const middle = new Error('request failed', { cause: root });
    const error = unreachableError('STS_UNREACHABLE', 'Cannot reach STS.', {
      hint: 'Check your network.',
      cause: middle,
    });
    const lines = report(error, { debug: true }).split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'fedlogin: Cannot reach STS.',
      '  Check your network.',
      'FedloginError: Cannot reach STS.',
    ]);
    expect(lines[3]).toMatch(/^\s+at /);
    const rest = lines.slice(3).join('\n');
    expect(rest).toContain('\ncode: STS_UNREACHABLE\n');
    const causes = lines.filter((l) => l.startsWith('caused by: '));
    expect(causes).toEqual(['caused by: Error: request failed', 'caused by: Error: socket hang up']);
    expect(rest).toMatch(/\ncode: STS_UNREACHABLE\n(.*\n)*caused by: Error: request failed/);
  });

  it('a cause that is not an Error is still named', () => {
    const out = report(usageError('PROFILE_REQUIRED', 'm', { cause: 'plain text' }), { debug: true });
    expect(out).toContain('caused by: Error: plain text');
  });

  it('the cause chain stops after five links (a cycle cannot loop)', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;
    const out = report(usageError('PROFILE_REQUIRED', 'm', { cause: a }), { debug: true });
    expect(out.match(/^caused by: /gm)).toHaveLength(5);
  });

  it('anything that is not a FedloginError is an internal error, with the bug-report line', () => {
    expect(report(new TypeError('x is undefined'))).toBe(`fedlogin: internal error: x is undefined\n${BUG_LINE}\n`);
    expect(report('thrown string')).toBe(`fedlogin: internal error: thrown string\n${BUG_LINE}\n`);
    expect(report(undefined)).toBe(`fedlogin: internal error: undefined\n${BUG_LINE}\n`);
  });

  it('an internal error with --debug shows its stack but no code line', () => {
    const out = report(new TypeError('x is undefined'), { debug: true });
    expect(out).toContain('TypeError: x is undefined\n    at ');
    expect(out).not.toContain('code:');
  });

  it("redacts with the logger's secrets, in the message, the hint and the causes", () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const logger = createLogger({ write: () => {} });
    logger.addSecret(secret);
    const error = refusedError('STS_ACCESS_DENIED', `refused ${secret}`, {
      hint: `hint ${secret}`,
      cause: new Error(`cause ${secret}`),
    });
    const out = report(error, { debug: true, redact: logger.redact });
    expect(out).not.toContain(secret);
    expect(out).toContain('fedlogin: refused [redacted]\n  hint [redacted]\n');
    expect(out).toContain('caused by: Error: cause [redacted]');
  });

  it('redacts token-shaped text even without a logger', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtZSJ9.c2lnbmF0dXJl';
    expect(report(new Error(`bad token ${jwt}`))).toBe(
      `fedlogin: internal error: bad token [redacted-jwt]\n${BUG_LINE}\n`,
    );
    expect(report(usageError('PROFILE_REQUIRED', `assertion ${'A'.repeat(300)}`))).toBe(
      'fedlogin: assertion [redacted]\n',
    );
  });
});
