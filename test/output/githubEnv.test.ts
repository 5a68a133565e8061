import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatEnv } from '../../src/output/envFormat.js';
import type { EnvVariable } from '../../src/output/envVariables.js';
import { assertFuzz } from '../support/harness/fuzz.js';
import { envValue } from './arbitraries.js';

/**
 * A reader of the $GITHUB_ENV file as GitHub documents it and the Actions runner implements it:
 * lines end at LF (on Windows runners also at CRLF); blank lines are skipped; `NAME=value` splits at
 * the first `=`; `NAME<<DELIM` takes every following line up to one that is exactly DELIM, and the
 * value is the text between, without the line break before DELIM.
 */
function readGithubEnv(text: string, windows: boolean): Map<string, string> {
  let index = 0;
  const readLine = (): { line: string; breakLength: number } | undefined => {
    if (index >= text.length) return undefined;
    const lf = text.indexOf('\n', index);
    if (lf < 0) {
      const line = text.slice(index);
      index = text.length;
      return { line, breakLength: 0 };
    }
    const crlf = windows && lf > index && text[lf - 1] === '\r';
    const line = text.slice(index, crlf ? lf - 1 : lf);
    index = lf + 1;
    return { line, breakLength: crlf ? 2 : 1 };
  };
  const env = new Map<string, string>();
  for (let next = readLine(); next; next = readLine()) {
    const { line } = next;
    if (line === '') continue;
    const eq = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (eq >= 0 && (heredoc < 0 || eq < heredoc)) {
      env.set(line.slice(0, eq), line.slice(eq + 1));
    } else if (heredoc > 0 && heredoc + 2 < line.length) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      const start = index;
      let end = index;
      for (let body = readLine(); ; body = readLine()) {
        if (!body) throw new Error(`no closing delimiter ${delimiter}`);
        if (body.line === delimiter) break;
        end = index - body.breakLength;
      }
      env.set(name, text.slice(start, Math.max(start, end)));
    } else {
      throw new Error(`invalid line ${JSON.stringify(line)}`);
    }
  }
  return env;
}

describe('github-env', () => {
  it('the reference reader reads GitHub’s documented examples', () => {
    const doc = 'JSON_RESPONSE<<EOF\n{\n  "a": 1\n}\nEOF\nSTEP_STATE=yellow\n';
    expect(readGithubEnv(doc, false)).toEqual(
      new Map([
        ['JSON_RESPONSE', '{\n  "a": 1\n}'],
        ['STEP_STATE', 'yellow'],
      ]),
    );
  });

  it('reads back every value exactly, on Linux and on Windows runners', () => {
    const noTrailingCr = envValue.filter((v) => !v.endsWith('\r'));
    assertFuzz(
      fc.property(fc.array(noTrailingCr, { minLength: 1, maxLength: 20 }), (values) => {
        const vars: EnvVariable[] = values.map((value, i) => [`V${i}`, value]);
        const text = formatEnv(vars, 'github-env');
        for (const windows of [false, true]) expect(readGithubEnv(text, windows)).toEqual(new Map(vars));
      }),
      { numRuns: 300 },
      'output formats: githubEnv (test/output/githubEnv.test.ts)',
    );
  });

  it('uses the heredoc form exactly for values with a line feed', () => {
    assertFuzz(
      fc.property(
        envValue.filter((v) => !v.endsWith('\r')),
        (value) => {
          const text = formatEnv([['V', value]], 'github-env');
          expect(text.startsWith('V<<')).toBe(value.includes('\n'));
        },
      ),
      { numRuns: 300 },
      'output formats: githubEnv (test/output/githubEnv.test.ts)',
    );
  });

  it('a value ending in CR really would change on Windows runners, which is why it is refused', () => {
    const naive = 'V=abc\r\n';
    expect(readGithubEnv(naive, false).get('V')).toBe('abc\r');
    expect(readGithubEnv(naive, true).get('V')).toBe('abc');
  });
});
