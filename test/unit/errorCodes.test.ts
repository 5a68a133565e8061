import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ERRORS_DOC, renderErrorTable } from '../../scripts/errorTable.js';
import { EXIT, exitCodeFor } from '../../src/cli/exitCodes.js';
import { reportError } from '../../src/cli/reportError.js';
import { ERROR_CODES, type ErrorCode, type ErrorCodeOf } from '../../src/core/errorCodes.js';
import * as errors from '../../src/core/errors.js';
import { FedloginError, isFedloginError, refusedError, unreachableError, usageError } from '../../src/core/errors.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** A second copy of src/core/errors.ts, bundled to CommonJS the way scripts/bundle.mjs does. */
async function secondCopyOfErrors(): Promise<typeof errors> {
  const result = await build({
    entryPoints: [join(SRC, 'core/errors.ts')],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    write: false,
    logLevel: 'silent',
  });
  const module = { exports: {} as typeof errors };
  new Function('module', 'exports', 'require', result.outputFiles[0]!.text)(
    module,
    module.exports,
    createRequire(import.meta.url),
  );
  return module.exports;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('the table of error codes', () => {
  it('docs/errors.md is generated from it and up to date', () => {
    // On failure: npm run docs:errors
    expect(readFileSync(ERRORS_DOC, 'utf8')).toBe(renderErrorTable());
  });

  it('is sorted, so that a reader finds a code', () => {
    const codes = Object.keys(ERROR_CODES);
    expect(codes).toEqual([...codes].sort());
  });

  it('lists only codes that src/ uses', () => {
    const source = sourceFiles(SRC)
      .filter((file) => !file.endsWith(join('core', 'errorCodes.ts')))
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    const unused = Object.keys(ERROR_CODES).filter((code) => !source.includes(`'${code}'`));
    expect(unused).toEqual([]);
  });

  it('makes a typo or a code of another kind a type error (checked by npm run typecheck)', () => {
    // @ts-expect-error: no such code
    const typo: ErrorCode = 'PROFILE_NOT_FUOND';
    // @ts-expect-error: STS_ACCESS_DENIED is a refused code, not a usage code
    const otherKind: ErrorCodeOf<'usage'> = 'STS_ACCESS_DENIED';
    const refused: ErrorCodeOf<'refused'> = 'STS_ACCESS_DENIED';
    expect([typo, otherKind, refused]).toHaveLength(3);
    const neverCalled = () => [
      // @ts-expect-error: no such code
      usageError('PROFILE_NOT_FUOND', 'x'),
      // @ts-expect-error: a refused code given to the usage factory
      usageError('STS_ACCESS_DENIED', 'x'),
      // @ts-expect-error: the hint goes in the options object
      refusedError('STS_ACCESS_DENIED', 'x', 'a positional hint'),
    ];
    expect(neverCalled).toBeTypeOf('function');
  });
});

describe('the factories', () => {
  it('take the hint and the cause in an options object, and the kind from their name', () => {
    const cause = new Error('ECONNREFUSED');
    const error = unreachableError('STS_UNREACHABLE', 'Could not reach STS.', { hint: 'Check your network.', cause });
    expect(error).toMatchObject({
      code: 'STS_UNREACHABLE',
      kind: 'unreachable',
      message: 'Could not reach STS.',
      hint: 'Check your network.',
    });
    expect(error.cause).toBe(cause);
    expect(exitCodeFor(error)).toBe(EXIT.unreachable);
    const bare = usageError('PROFILE_REQUIRED', 'Say which profile.');
    expect(bare.hint).toBeUndefined();
    expect('cause' in bare).toBe(false);
  });

  it('give every kind the exit code of docs/errors.md', () => {
    expect(exitCodeFor(usageError('PROFILE_REQUIRED', 'x'))).toBe(2);
    expect(exitCodeFor(refusedError('TOKEN_EXPIRED', 'x'))).toBe(3);
    expect(exitCodeFor(unreachableError('STS_UNREACHABLE', 'x'))).toBe(4);
    expect(exitCodeFor(errors.abortedError())).toBe(130);
    expect(exitCodeFor(errors.internalError('INTERNAL', 'x'))).toBe(1);
    expect(exitCodeFor(new Error('x'))).toBe(1);
  });
});

describe('isFedloginError', () => {
  it('recognises an error from a second copy of the module, where instanceof does not', async () => {
    const other = await secondCopyOfErrors();
    expect(other.FedloginError).not.toBe(FedloginError);
    const error = other.usageError('PROFILE_NOT_FOUND', 'No profile "dev" in ~/.aws/config.', {
      hint: 'Create it with: fedlogin configure --profile dev',
    });
    expect(error instanceof FedloginError).toBe(false);
    expect(isFedloginError(error)).toBe(true);
    expect(other.isFedloginError(usageError('PROFILE_REQUIRED', 'x'))).toBe(true);
    expect(exitCodeFor(error)).toBe(EXIT.usage);
    let written = '';
    reportError(error, { debug: false, write: (text) => (written += text) });
    expect(written).toBe(
      'fedlogin: No profile "dev" in ~/.aws/config.\n  Create it with: fedlogin configure --profile dev\n',
    );
  });

  it('does not take an error that only looks like one', () => {
    const lookalike = Object.assign(new Error('x'), { code: 'PROFILE_NOT_FOUND', kind: 'usage', hint: undefined });
    expect(isFedloginError(lookalike)).toBe(false);
    expect(exitCodeFor(lookalike)).toBe(EXIT.internal);
    for (const value of [undefined, null, 'PROFILE_NOT_FOUND', 42, {}]) expect(isFedloginError(value)).toBe(false);
  });

  it('keeps the brand off the error itself: not in its keys, its JSON or its inspection', () => {
    const error = refusedError('STS_ACCESS_DENIED', 'no');
    expect(Object.getOwnPropertySymbols(error)).toEqual([]);
    expect(JSON.stringify(error)).not.toContain('fedlogin.error');
    expect(inspect(error)).not.toContain('fedlogin.error');
  });
});
