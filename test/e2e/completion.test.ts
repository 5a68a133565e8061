import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempHome, runCli, type TempHome } from '../support/cli/runCli.js';
import { describeWith } from '../support/harness/component.js';

let home: TempHome;
const scripts: Record<string, string> = {};

beforeAll(async () => {
  home = await makeTempHome();
  await writeFile(
    home.awsConfigFile,
    '[default]\nregion = eu-west-1\n\n[profile dev]\nfedlogin_flow = oidc\n\n  [profile prod-admin]  \nregion = us-east-1\n[sso-session corp]\nsso_region = us-east-1\n',
  );
  for (const shell of ['bash', 'zsh', 'fish']) {
    const result = await runCli(['completion', shell], { env: home.env });
    expect(result.code, result.stderr).toBe(0);
    scripts[shell] = path.join(home.home, `completion.${shell}`);
    await writeFile(scripts[shell]!, result.stdout);
  }
});

afterAll(() => home?.cleanup());

/** What bash's completion function offers for the words typed so far (the last may be partial). */
function bashComplete(words: string[]): string[] {
  const script = `
source "$1"; shift
COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))
_fedlogin_complete
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const out = execFileSync('bash', ['-c', script, 'bash', scripts.bash!, ...words], {
    encoding: 'utf8',
    env: { ...process.env, ...home.env },
  });
  return out.split('\n').filter(Boolean).sort();
}

describe('fedlogin completion', () => {
  it('bash: loads without error and completes commands, options and profile names', () => {
    expect(execFileSync('bash', ['-n', scripts.bash!], { encoding: 'utf8' })).toBe('');
    expect(bashComplete(['fedlogin', 'cre'])).toEqual(['credential-process']);
    expect(bashComplete(['fedlogin', 'web-identity', '--tok'])).toEqual([
      '--token-env',
      '--token-file',
      '--token-stdin',
    ]);
    expect(bashComplete(['fedlogin', '--profile', ''])).toEqual(['default', 'dev', 'prod-admin']);
    expect(bashComplete(['fedlogin', 'login', '--profile', 'pr'])).toEqual(['prod-admin']);
  });

  it('an unknown shell is a usage error', async () => {
    const result = await runCli(['completion', 'tcsh'], { env: home.env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bash, zsh, fish/);
  });
});

describeWith(['cmd:fish'], 'fish completion', () => {
  it('loads and completes commands and profile names', () => {
    const complete = (line: string) =>
      execFileSync('fish', ['-c', `source ${scripts.fish}; complete -C "${line}"`], {
        encoding: 'utf8',
        env: { ...process.env, ...home.env },
      })
        .split('\n')
        .map((l) => l.split('\t')[0])
        .filter(Boolean)
        .sort();
    expect(complete('fedlogin --profile ')).toEqual(['default', 'dev', 'prod-admin']);
    expect(complete('fedlogin web-id')).toEqual(['web-identity']);
  });
});

describeWith(['cmd:zsh'], 'zsh completion', () => {
  it('loads without error', () => {
    expect(() =>
      execFileSync('zsh', ['-c', `autoload -U compinit && compinit -u; source ${scripts.zsh}`], { encoding: 'utf8' }),
    ).not.toThrow();
  });
});
