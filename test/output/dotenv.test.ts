import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { dotenvUnrepresentableReason } from '../../src/output/dotenvQuote.js';
import { formatEnv } from '../../src/output/envFormat.js';
import type { EnvVariable } from '../../src/output/envVariables.js';
import { describeWith, itWith } from '../support/harness/component.js';
import { assertFuzz } from '../support/harness/fuzz.js';
import { dotenvFriendlyValue, envValue, NASTY } from './arbitraries.js';
import { parseEnv0 } from './tools.js';

// Not a dependency of fedlogin; used when present, else the model below stands in for it.
const npmDotenvSpecifier = 'dotenv';
const npmDotenv = (await import(npmDotenvSpecifier).catch(() => undefined)) as
  | { parse(src: string): Record<string, string> }
  | undefined;

const dir = mkdtempSync(join(tmpdir(), 'fedlogin-dotenv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Values (with their names) that have a dotenv form, and the formatted file. */
function representable(values: string[]): { vars: EnvVariable[]; text: string } {
  const vars: EnvVariable[] = values
    .filter((value) => dotenvUnrepresentableReason(value) === undefined)
    .map((value, i) => [`V${i}`, value]);
  return { vars, text: formatEnv(vars, 'dotenv') };
}

/**
 * The dotenv npm package's rules (16.x/17.x, from its README and behaviour): CR and CRLF in the file
 * become LF; in `KEY="..."` the value runs to the first `"` not taken as part of `\"`, may span
 * lines, and only `\n` and `\r` are decoded, every other backslash staying as it is. Only the
 * double-quoted form is modelled, since that is the only one fedlogin writes.
 */
function readLikeNpmDotenv(text: string): Map<string, string> {
  const src = text.replace(/\r\n?/g, '\n');
  const env = new Map<string, string>();
  const binding = /^[ \t]*(?:export[ \t]+)?([\w.-]+)[ \t]*=[ \t]*"((?:\\"|[^"])*)"[ \t]*(?:#.*)?$/gm;
  let consumed = 0;
  for (const m of src.matchAll(binding)) {
    expect(src.slice(consumed, m.index).trim(), 'text the model did not understand').toBe('');
    env.set(m[1]!, m[2]!.replaceAll('\\n', '\n').replaceAll('\\r', '\r'));
    consumed = m.index + m[0].length;
  }
  expect(src.slice(consumed).trim()).toBe('');
  return env;
}

describe('dotenv', () => {
  it('every refusal is justified: the value holds ", a decodable backslash, or ${...}', () => {
    assertFuzz(
      fc.property(envValue, (value) => {
        const reason = dotenvUnrepresentableReason(value);
        const risky =
          value.includes('"') || /\\(?:$|[\\'"abfnrtv\n\r])/.test(value) || /\$\{[^}:]*(?::-[^}]*)?\}/.test(value);
        expect(reason !== undefined).toBe(risky);
      }),
      { numRuns: 1000 },
      'output formats: dotenv (test/output/dotenv.test.ts)',
    );
  });

  it('writes one line per variable', () => {
    assertFuzz(
      fc.property(dotenvFriendlyValue, (value) => {
        fc.pre(dotenvUnrepresentableReason(value) === undefined);
        expect(formatEnv([['V', value]], 'dotenv')).toMatch(/^V="[^\r\n]*"\n$/);
      }),
      { numRuns: 500 },
      'output formats: dotenv (test/output/dotenv.test.ts)',
    );
  });

  it('reads back exactly under the dotenv npm package’s rules (model)', () => {
    assertFuzz(
      fc.property(fc.array(dotenvFriendlyValue, { minLength: 1, maxLength: 20 }), (values) => {
        const { vars, text } = representable(values);
        expect(readLikeNpmDotenv(text)).toEqual(new Map(vars));
      }),
      { numRuns: 300 },
      'output formats: dotenv (test/output/dotenv.test.ts)',
    );
  });

  itWith(['npm:dotenv'], 'reads back exactly through the real dotenv npm package (when installed)', () => {
    assertFuzz(
      fc.property(fc.array(dotenvFriendlyValue, { minLength: 1, maxLength: 20 }), (values) => {
        const { vars, text } = representable(values);
        expect(Object.entries(npmDotenv!.parse(text))).toEqual(vars);
      }),
      { numRuns: 300 },
      'output formats: dotenv (test/output/dotenv.test.ts)',
    );
  });

  // python-dotenv ships with the machine image's Python
  describeWith(['python-dotenv'], 'python-dotenv', () => {
    // dotenv_values with its defaults (utf-8, interpolation on), as load_dotenv reads files.
    const READ = [
      'import sys, dotenv',
      'values = dotenv.dotenv_values(sys.argv[1])',
      'sys.stdout.buffer.write(b"".join(k.encode() + b"=" + (v if v is not None else "<None>").encode() + b"\\0" for k, v in values.items()))',
    ].join('\n');
    let file = 0;
    const readWithPython = (text: string, allowWarnings = false): Map<string, Buffer> => {
      const path = join(dir, `${file++}.env`);
      writeFileSync(path, text);
      const result = spawnSync('python3', ['-c', READ, path], {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
        timeout: 20_000,
      });
      if (!allowWarnings) expect(result.stderr.toString(), 'python-dotenv warnings').toBe('');
      expect(result.status).toBe(0);
      return parseEnv0(result.stdout);
    };
    const expectSame = (vars: EnvVariable[], read: Map<string, Buffer>) => {
      expect([...read.keys()]).toEqual(vars.map(([name]) => name));
      for (const [name, value] of vars) {
        expect(read.get(name)?.equals(Buffer.from(value, 'utf8')), `${name}=${JSON.stringify(value)}`).toBe(true);
      }
    };

    it('python-dotenv reads back every hazardous character that has a dotenv form', () => {
      const { vars, text } = representable([...NASTY, NASTY.join(''), '', 'C:\\Users\\x', '$HOME ${ ${a:b}']);
      expect(vars.length).toBeGreaterThan(NASTY.length - 20);
      expectSame(vars, readWithPython(text));
    });

    it('python-dotenv reads back generated values exactly (batched, 250+ values per run)', () => {
      let checked = 0;
      assertFuzz(
        fc.property(fc.array(dotenvFriendlyValue, { minLength: 60, maxLength: 60 }), (values) => {
          const { vars, text } = representable(values);
          checked += vars.length;
          expectSame(vars, readWithPython(text));
        }),
        { numRuns: 6 },
        'output formats: dotenv (test/output/dotenv.test.ts)',
      );
      expect(checked).toBeGreaterThanOrEqual(250);
    });

    it('refused values really would be read differently: python-dotenv-style escaping fails one reader', () => {
      const refused = ['a"b', 'a\\b', 'a\\nb', "a\\'b", 'a\\', 'x${HOME}y', '${X:-d}'];
      const vars: EnvVariable[] = refused.map((value, i) => [`R${i}`, value]);
      for (const [, value] of vars) expect(dotenvUnrepresentableReason(value)).toBeDefined();
      // The escaping python-dotenv itself documents: \\ \" \n \r inside double quotes.
      const escaped = vars
        .map(
          ([name, value]) =>
            `${name}="${value.replace(/[\\"]/g, '\\$&').replaceAll('\n', '\\n').replaceAll('\r', '\\r')}"\n`,
        )
        .join('');
      const byPython = readWithPython(escaped, true);
      const byNpm = readLikeNpmDotenv(escaped);
      for (const [name, value] of vars) {
        const python = byPython.get(name)?.toString('utf8');
        expect(python !== value || byNpm.get(name) !== value, `${JSON.stringify(value)} reads back alike`).toBe(true);
      }
    });
  });
});
