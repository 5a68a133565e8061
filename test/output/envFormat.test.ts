import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FedloginError } from '../../src/core/errors.js';
import { ENV_FORMATS, formatEnv, githubMaskCommands, parseEnvFormat } from '../../src/output/envFormat.js';
import type { EnvVariable } from '../../src/output/envVariables.js';
import { quotePowerShell } from '../../src/output/shellQuote.js';
import { assertFuzz } from '../support/harness/fuzz.js';
import { envValue } from './arbitraries.js';

const vars: EnvVariable[] = [
  ['AWS_ACCESS_KEY_ID', 'ASIAEXAMPLE'],
  ['AWS_SECRET_ACCESS_KEY', "it's $HOME `x` \\ 100%"],
  ['MULTI', 'a\nb'],
];

describe('formatEnv examples', () => {
  it('sh', () => {
    expect(formatEnv(vars, 'sh')).toBe(
      "export AWS_ACCESS_KEY_ID='ASIAEXAMPLE'\n" +
        "export AWS_SECRET_ACCESS_KEY='it'\\''s $HOME `x` \\ 100%'\n" +
        "export MULTI='a\nb'\n",
    );
  });

  it('fish', () => {
    expect(formatEnv(vars, 'fish')).toBe(
      "set -gx AWS_ACCESS_KEY_ID 'ASIAEXAMPLE'\n" +
        "set -gx AWS_SECRET_ACCESS_KEY 'it\\'s $HOME `x` \\\\ 100%'\n" +
        "set -gx MULTI 'a'\\n'b'\n",
    );
  });

  it('powershell', () => {
    expect(formatEnv(vars, 'powershell')).toBe(
      "$Env:AWS_ACCESS_KEY_ID = 'ASIAEXAMPLE'\n" +
        "$Env:AWS_SECRET_ACCESS_KEY = 'it''s $HOME `x` \\ 100%'\n" +
        "$Env:MULTI = 'a' + \"`n\" + 'b'\n",
    );
    expect(formatEnv([['A', 'x\u2019y\u201Bz']], 'powershell')).toBe("$Env:A = 'x\u2019\u2019y\u201B\u201Bz'\n");
    expect(formatEnv([['A', '']], 'powershell')).toBe("$Env:A = ''\n");
    expect(formatEnv([['A', '\r\n']], 'powershell')).toBe('$Env:A = "`r" + "`n"\n');
  });

  it('dotenv', () => {
    expect(
      formatEnv(
        [
          ['A', "it's $HOME `x` 100% #not-a-comment"],
          ['B', 'a\nb\rc'],
          ['C', ''],
          ['D', 'C:\\path'],
        ],
        'dotenv',
      ),
    ).toBe('A="it\'s $HOME `x` 100% #not-a-comment"\nB="a\\nb\\rc"\nC=""\nD="C:\\path"\n');
  });

  it('json', () => {
    expect(formatEnv(vars, 'json')).toBe(
      '{"AWS_ACCESS_KEY_ID":"ASIAEXAMPLE","AWS_SECRET_ACCESS_KEY":"it\'s $HOME `x` \\\\ 100%","MULTI":"a\\nb"}\n',
    );
    expect(formatEnv([], 'json')).toBe('{}\n');
  });

  it('github-env: NAME=value, and the heredoc form with a fresh delimiter for multi-line values', () => {
    const delimiters = ['a', 'zzz'];
    const out = formatEnv([...vars, ['EMPTY', '']], 'github-env', { githubDelimiter: () => delimiters.shift()! });
    // "a" occurs in the value "a\nb", so the next delimiter is taken.
    expect(out).toBe(
      'AWS_ACCESS_KEY_ID=ASIAEXAMPLE\n' +
        "AWS_SECRET_ACCESS_KEY=it's $HOME `x` \\ 100%\n" +
        'MULTI<<zzz\na\nb\nzzz\n' +
        'EMPTY=\n',
    );
  });

  it('github-env: the default delimiter is random, as @actions/core makes it', () => {
    const out = formatEnv([['M', 'x\ny']], 'github-env');
    expect(out).toMatch(/^M<<(ghadelimiter_[0-9a-f-]{36})\nx\ny\n\1\n$/);
    expect(formatEnv([['M', 'x\ny']], 'github-env')).not.toBe(out);
  });

  it('github-env: an internal error when no delimiter can be found', () => {
    expect(() => formatEnv([['M', 'x\ny']], 'github-env', { githubDelimiter: () => 'x' })).toThrow(
      expect.objectContaining({ code: 'GITHUB_ENV_DELIMITER', kind: 'internal' }),
    );
  });

  it('github-env: refuses a value ending in CR (Windows runners drop it)', () => {
    expect(() => formatEnv([['M', 'x\r']], 'github-env')).toThrow(
      expect.objectContaining({ code: 'GITHUB_ENV_UNREPRESENTABLE', kind: 'usage' }),
    );
  });

  it('writes nothing for no variables (json: an empty object)', () => {
    for (const format of ENV_FORMATS) expect(formatEnv([], format)).toBe(format === 'json' ? '{}\n' : '');
  });
});

describe('formatEnv refusals', () => {
  it.each(ENV_FORMATS)('%s: refuses bad names, NUL and lone surrogates, naming the variable only', (format) => {
    const expectUsage = (v: EnvVariable[], code: string, message: RegExp) => {
      let error: unknown;
      try {
        formatEnv(v, format);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(FedloginError);
      expect(error).toMatchObject({ code, kind: 'usage' });
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('SECRETVALUE');
    };
    expectUsage([['1A', 'x']], 'ENV_NAME_INVALID', /"1A" is not a valid environment variable name/);
    expectUsage([['A;rm', 'x']], 'ENV_NAME_INVALID', /not a valid/);
    expectUsage([['A B', 'x']], 'ENV_NAME_INVALID', /not a valid/);
    expectUsage([['', 'x']], 'ENV_NAME_INVALID', /not a valid/);
    expectUsage([['SECRET', 'SECRETVALUE\0']], 'ENV_VALUE_INVALID', /value of SECRET contains a NUL/);
    expectUsage([['SECRET', 'SECRETVALUE\uD800']], 'ENV_VALUE_INVALID', /value of SECRET is not well-formed Unicode/);
  });

  it('dotenv: refuses values the two readers would read differently, without showing them', () => {
    for (const [value, why] of [
      ['SECRETVALUE"', /contains a double quote/],
      ['SECRETVALUE\\', /backslash/],
      ['SECRETVALUE\\n', /backslash/],
      ['SECRETVALUE\\\n', /backslash/],
      ['SECRETVALUE\\t', /backslash/],
      ["SECRETVALUE\\'", /backslash/],
      ['SECRETVALUE${HOME}', /python-dotenv expands/],
      ['SECRETVALUE${X:-y}', /python-dotenv expands/],
    ] as const) {
      expect(() => formatEnv([['S', value]], 'dotenv'), value).toThrow(
        expect.objectContaining({
          code: 'DOTENV_UNREPRESENTABLE',
          kind: 'usage',
          hint: expect.stringMatching(/--format json/),
        }),
      );
      try {
        formatEnv([['S', value]], 'dotenv');
      } catch (e) {
        expect((e as Error).message).toMatch(why);
        expect((e as Error).message).not.toContain('SECRETVALUE');
      }
    }
    // Backslashes the readers leave alone, `$` without braces, and `${` without a closing brace are fine.
    expect(formatEnv([['S', 'C:\\x\\y $HOME ${unclosed ${a:b}']], 'dotenv')).toBe(
      'S="C:\\x\\y $HOME ${unclosed ${a:b}"\n',
    );
  });
});

describe('parseEnvFormat', () => {
  it('accepts every format, case-insensitively, and the aliases', () => {
    for (const format of ENV_FORMATS) expect(parseEnvFormat(format)).toBe(format);
    expect(parseEnvFormat('PowerShell')).toBe('powershell');
    expect(parseEnvFormat(' json ')).toBe('json');
    expect(parseEnvFormat('bash')).toBe('sh');
    expect(parseEnvFormat('zsh')).toBe('sh');
    expect(parseEnvFormat('pwsh')).toBe('powershell');
    expect(parseEnvFormat('github')).toBe('github-env');
  });

  it.each(['csh', '', 'toString', '__proto__', 'constructor'])('refuses %j, listing the choices', (value) => {
    let error: unknown;
    try {
      parseEnvFormat(value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FedloginError);
    expect(error).toMatchObject({
      code: 'ENV_FORMAT_UNKNOWN',
      kind: 'usage',
      message: `Unknown --format value ${JSON.stringify(value)}.`,
      hint: 'Use one of: sh, fish, powershell, dotenv, json, github-env.',
    });
  });
});

describe('json', () => {
  it('reads back with JSON.parse, in order', () => {
    assertFuzz(
      fc.property(fc.array(envValue, { maxLength: 8 }), (values) => {
        const v: EnvVariable[] = values.map((value, i) => [`V${i}`, value]);
        const out = formatEnv(v, 'json');
        expect(out.endsWith('\n')).toBe(true);
        expect(Object.entries(JSON.parse(out))).toEqual(v);
      }),
      { numRuns: 300 },
      'output formats: envFormat (test/output/envFormat.test.ts)',
    );
  });
});

describe('powershell quoting, checked against a model of PowerShell string parsing', () => {
  // pwsh is rarely installed on these machines (and not in Debian), so the shell round trip in
  // envFormat.shells.test.ts usually skips; this pins the escaping rules the tokenizer applies.
  const SINGLE_QUOTES = new Set(["'", '\u2018', '\u2019', '\u201A', '\u201B']);
  function readPowerShellExpression(expr: string): string {
    let out = '';
    let i = 0;
    const expect_ = (s: string) => {
      if (!expr.startsWith(s, i)) throw new Error(`expected ${JSON.stringify(s)} at ${i} in ${JSON.stringify(expr)}`);
      i += s.length;
    };
    for (;;) {
      if (expr.startsWith('"`n"', i)) {
        out += '\n';
        i += 4;
      } else if (expr.startsWith('"`r"', i)) {
        out += '\r';
        i += 4;
      } else {
        if (!SINGLE_QUOTES.has(expr[i]!)) throw new Error(`expected a string at ${i} in ${JSON.stringify(expr)}`);
        i++;
        for (;;) {
          if (i >= expr.length) throw new Error('unterminated string');
          const c = expr[i]!;
          i++;
          if (SINGLE_QUOTES.has(c)) {
            if (!SINGLE_QUOTES.has(expr[i] ?? '')) break;
            out += expr[i]; // a doubled quote stands for its second character
            i++;
          } else out += c;
        }
      }
      if (i === expr.length) return out;
      expect_(' + ');
    }
  }

  it('reads back every value, and never spans lines', () => {
    assertFuzz(
      fc.property(envValue, (value) => {
        const quoted = quotePowerShell(value);
        expect(quoted).not.toMatch(/[\r\n]/);
        expect(readPowerShellExpression(quoted)).toBe(value);
      }),
      { numRuns: 2000 },
      'output formats: envFormat (test/output/envFormat.test.ts)',
    );
  });
});

describe('githubMaskCommands', () => {
  it('writes one ::add-mask:: line per non-blank line of each secret, escaping %', () => {
    expect(githubMaskCommands(['AKIDEXAMPLE', 'multi\nline\r\n\n  \nsecret', '', '100%0A', 'AKIDEXAMPLE'])).toEqual([
      '::add-mask::AKIDEXAMPLE\n',
      '::add-mask::multi\n',
      '::add-mask::line\n',
      '::add-mask::secret\n',
      '::add-mask::100%250A\n',
    ]);
    expect(githubMaskCommands([])).toEqual([]);
  });

  // The runner's data unescaping (actions/runner ActionCommand): %0D, then %0A, then %25.
  const runnerUnescape = (data: string) => data.replaceAll('%0D', '\r').replaceAll('%0A', '\n').replaceAll('%25', '%');

  it('registers exactly the lines of each secret with the runner', () => {
    assertFuzz(
      fc.property(fc.array(envValue, { maxLength: 5 }), (secrets) => {
        const commands = githubMaskCommands(secrets);
        const registered = commands.map((line) => {
          expect(line).toMatch(/^::add-mask::[^\r\n]+\n$/);
          return runnerUnescape(line.slice('::add-mask::'.length, -1));
        });
        const expected = new Set(secrets.flatMap((s) => s.split(/\r\n|\r|\n/)).filter((l) => l.trim() !== ''));
        expect(new Set(registered)).toEqual(expected);
        expect(registered).toHaveLength(expected.size);
      }),
      { numRuns: 500 },
      'output formats: envFormat (test/output/envFormat.test.ts)',
    );
  });
});
