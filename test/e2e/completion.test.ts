import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTPUT_KINDS } from '../../src/cli/deliveryOptions.js';
import { FLOW_NAMES } from '../../src/config/profileValues.js';
import { CI_NAMES } from '../../src/flows/webIdentity/ciName.js';
import { ENV_FORMATS } from '../../src/output/envFormat.js';
import { runCli } from '../support/cli/runCli.js';
import { FEDLOGIN_BIN } from '../support/cli/spawnCli.js';
import { PROMPT, startTmux, type TmuxServer, type TmuxShell } from '../support/cli/tmuxShell.js';
import { type ComponentName, describeWith, registerComponent } from '../support/harness/component.js';
import { forSuite } from '../support/harness/suite.js';

/**
 * Completion as a person gets it: real bash, zsh and fish in a terminal (tmux), each started with
 * an rc file that only loads fedlogin's completion the way the help says, fedlogin on PATH (a
 * symlink to bin/fedlogin.js), a ~/.aws/config with three profiles, and a working directory with
 * two files.
 */

const CONFIG = `[default]
region = eu-west-1

[profile dev]
fedlogin_flow = oidc

  [profile prod-admin]  
region = us-east-1
[sso-session corp]
sso_region = us-east-1
`;

/** One line typed, then TAB: either the line it becomes, or the candidates listed (nothing inserted). */
type Case = { line: string; becomes: string } | { line: string; offers: readonly string[] };

const CASES: Case[] = [
  // the cases of the issue: a value, not "-" and the global flags
  { line: 'fedlogin completion ', offers: ['bash', 'zsh', 'fish'] },
  { line: 'fedlogin configure --flow ', offers: FLOW_NAMES },
  { line: 'fedlogin web-identity --output ', offers: OUTPUT_KINDS },
  { line: 'fedlogin saml de', becomes: 'fedlogin saml decode' },
  { line: 'fedlogin web-identity --token-file tok', becomes: 'fedlogin web-identity --token-file token.jwt' },
  { line: 'fedlogin saml --assertion-file resp', becomes: 'fedlogin saml --assertion-file response.b64' },
  { line: 'fedlogin saml decode resp', becomes: 'fedlogin saml decode response.b64' },
  { line: 'fedlogin exec --profile dev -- fedlog', becomes: 'fedlogin exec --profile dev -- fedlogin' },
  // after `exec --`, the command's own completion (here fedlogin's, the one certainly loaded)
  { line: 'fedlogin exec -- fedlogin saml de', becomes: 'fedlogin exec -- fedlogin saml decode' },
  // without --: everything from the command word on is the command's (as exec runs it)
  { line: 'fedlogin exec -p dev fedlogin completion f', becomes: 'fedlogin exec -p dev fedlogin completion fish' },
  // commands, options, values, profiles
  { line: 'fedlogin lo', offers: ['login', 'logout'] },
  { line: 'fedlogin web-identity --tok', offers: ['--token-env', '--token-file', '--token-stdin'] },
  { line: 'fedlogin completion z', becomes: 'fedlogin completion zsh' },
  { line: 'fedlogin web-identity --ci ', offers: ['auto', ...CI_NAMES] },
  { line: 'fedlogin env --format ', offers: ENV_FORMATS },
  { line: 'fedlogin login --region eu-west-', offers: ['eu-west-1', 'eu-west-2', 'eu-west-3'] },
  { line: 'fedlogin saml --browser chr', offers: ['chrome', 'chromium'] },
  { line: 'fedlogin login --profile ', offers: ['default', 'dev', 'prod-admin'] },
  { line: 'fedlogin -p prod', becomes: 'fedlogin -p prod-admin' },
];

const tokens = (text: string) => new Set(text.split(/\s+/).filter(Boolean));
const firstLine = (screen: string) => screen.split('\n')[0] ?? '';

/** What every candidate of a list starts with, past what was typed: a shell may insert it. */
function commonExtension(line: string, offers: readonly string[]): string {
  const word = line.slice(line.lastIndexOf(' ') + 1);
  let common = offers[0] ?? '';
  for (const offer of offers) while (!offer.startsWith(common)) common = common.slice(0, -1);
  return common.startsWith(word) ? common.slice(word.length) : '';
}

async function check(shell: TmuxShell, c: Case): Promise<void> {
  await shell.reset();
  await shell.type(c.line);
  await shell.waitForScreen((s) => firstLine(s) === `${PROMPT} ${c.line}`.trimEnd(), 'the typed line');
  await shell.press('Tab');
  if ('becomes' in c) {
    await shell.waitForScreen(
      (s) => firstLine(s) === `${PROMPT} ${c.becomes}`,
      `"${c.line}" completed to "${c.becomes}"`,
    );
    return;
  }
  const listed = (s: string) => c.offers.every((word) => tokens(s.split('\n').slice(1).join('\n')).has(word));
  const ext = commonExtension(c.line, c.offers);
  let screen = await shell.waitForScreen(
    (s) => listed(s) || (ext !== '' && firstLine(s) === `${PROMPT} ${c.line}${ext}`),
    `"${c.line}" listing ${c.offers.join(' ')} (or completing their common start)`,
  );
  if (!listed(screen)) {
    // zsh inserts what all candidates share and lists them on the next TAB
    await shell.press('Tab');
    screen = await shell.waitForScreen(listed, `"${c.line}${ext}" listing ${c.offers.join(' ')}`);
  }
  // nothing inserted on the command line but what all candidates share ("-" was, before)
  for (const line of screen.split('\n').filter((l) => l.startsWith(`${PROMPT} `))) {
    expect(`${c.line}${ext}`.trimEnd().startsWith(line.slice(PROMPT.length + 1)), line).toBe(true);
    expect(line.length).toBeGreaterThanOrEqual(`${PROMPT} ${c.line}`.trimEnd().length);
  }
  // and no option offered in place of a value
  if (c.offers.every((word) => !word.startsWith('-'))) {
    const typed = tokens(c.line);
    expect([...tokens(screen)].filter((t) => t.startsWith('-') && !typed.has(t))).toEqual([]);
  }
}

type ShellName = 'bash' | 'zsh' | 'fish' | 'bash with bash-completion';

/** Debian's bash-completion: not needed by fedlogin's script, but when loaded, exec -- goes through it. */
const BASH_COMPLETION = '/usr/share/bash-completion/bash_completion';
registerComponent('bash-completion', () =>
  existsSync(BASH_COMPLETION)
    ? { name: 'bash-completion', available: true, path: BASH_COMPLETION }
    : {
        name: 'bash-completion',
        available: false,
        reason: `${BASH_COMPLETION} not found (apt-get install bash-completion)`,
      },
);

describeWith(['cmd:tmux', 'cmd:bash', 'cmd:zsh', 'cmd:fish'], 'completion in real shells through a terminal', () => {
  let dir: string;
  let tmux: TmuxServer;
  /** how each shell is started, with an rc that only loads fedlogin's completion */
  let start: Record<ShellName, () => Promise<TmuxShell>>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fedlogin-tab-'));
    const home = path.join(dir, 'home');
    const bin = path.join(dir, 'bin');
    const work = path.join(dir, 'work');
    await mkdir(path.join(home, '.aws'), { recursive: true });
    await mkdir(bin);
    await mkdir(path.join(work, 'keys'), { recursive: true });
    await writeFile(path.join(home, '.aws', 'config'), CONFIG);
    await writeFile(path.join(work, 'token.jwt'), 'not a token\n');
    await writeFile(path.join(work, 'response.b64'), 'not an assertion\n');
    await symlink(FEDLOGIN_BIN, path.join(bin, 'fedlogin'));
    tmux = startTmux(path.join(dir, 'tmux.sock'));
    const env = (extra: Record<string, string>) => ({
      PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      HOME: home,
      LANG: 'C.UTF-8',
      NO_COLOR: '1',
      ...extra,
    });

    // readline set to list ambiguous candidates at the first TAB, without asking or paging
    const bashrc = (...load: string[]) =>
      [
        `PS1='${PROMPT} '`,
        'unset HISTFILE',
        "bind 'set show-all-if-ambiguous on'",
        "bind 'set bell-style none'",
        "bind 'set page-completions off'",
        "bind 'set completion-query-items 1000'",
        ...load,
        '',
      ].join('\n');
    await writeFile(path.join(dir, 'bashrc'), bashrc('source <(fedlogin completion bash)'));
    await writeFile(
      path.join(dir, 'bashrc-with-bash-completion'),
      bashrc(`source ${BASH_COMPLETION}`, 'source <(fedlogin completion bash)'),
    );
    const zdotdir = path.join(dir, 'zsh');
    await mkdir(zdotdir);
    await writeFile(
      path.join(zdotdir, '.zshrc'),
      [
        `PROMPT='${PROMPT} '`,
        'unsetopt PROMPT_SP BEEP',
        'LISTMAX=1000',
        'autoload -U compinit && compinit -u',
        'source <(fedlogin completion zsh)',
        '',
      ].join('\n'),
    );
    const xdg = path.join(dir, 'xdg');
    await mkdir(path.join(xdg, 'config', 'fish'), { recursive: true });
    // present: fish then does not start generating completions from man pages in the background
    await mkdir(path.join(xdg, 'data', 'fish', 'generated_completions'), { recursive: true });
    await writeFile(
      path.join(xdg, 'config', 'fish', 'config.fish'),
      [
        'set -g fish_greeting',
        'set -g fish_autosuggestion_enabled 0',
        `function fish_prompt; echo -n '${PROMPT} '; end`,
        'function fish_right_prompt; end',
        'fedlogin completion fish | source',
        '',
      ].join('\n'),
    );
    start = {
      bash: () =>
        tmux.shell('bash', ['bash', '--noprofile', '--rcfile', path.join(dir, 'bashrc'), '-i'], {
          env: env({}),
          cwd: work,
        }),
      'bash with bash-completion': () =>
        tmux.shell(
          'bash-completion',
          ['bash', '--noprofile', '--rcfile', path.join(dir, 'bashrc-with-bash-completion'), '-i'],
          { env: env({}), cwd: work },
        ),
      zsh: () => tmux.shell('zsh', ['zsh', '-i'], { env: env({ ZDOTDIR: zdotdir }), cwd: work }),
      fish: () =>
        tmux.shell('fish', ['fish', '-i'], {
          env: env({ XDG_CONFIG_HOME: path.join(xdg, 'config'), XDG_DATA_HOME: path.join(xdg, 'data') }),
          cwd: work,
        }),
    };
  });

  afterAll(async () => {
    await tmux?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const casesIn = (shellName: ShellName) => () => {
    let shell: TmuxShell;
    // zsh's compinit alone takes seconds on a loaded machine
    beforeAll(async () => {
      shell = await start[shellName]();
    }, 120_000);

    for (const c of CASES) {
      it(`${c.line}<TAB>`, () => check(shell, c));
    }
  };
  for (const shellName of ['bash', 'zsh', 'fish'] as const) describe(shellName, casesIn(shellName));
  describeWith(['bash-completion' as ComponentName], 'bash with bash-completion', casesIn('bash with bash-completion'));
});

describe('fedlogin completion', () => {
  const home = forSuite(
    'a temporary HOME',
    async () => ({ dir: await mkdtemp(path.join(tmpdir(), 'fedlogin-completion-')) }),
    ({ dir }) => rm(dir, { recursive: true, force: true }),
  );

  it('an unknown shell is a usage error', async () => {
    const result = await runCli(['completion', 'tcsh'], { env: { HOME: home.dir } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bash, zsh, fish/);
  });

  it('each script states how to load it', async () => {
    for (const [shell, how] of [
      ['bash', 'source <(fedlogin completion bash)'],
      ['zsh', 'source <(fedlogin completion zsh)'],
      ['fish', 'fedlogin completion fish | source'],
    ]) {
      const result = await runCli(['completion', shell!], { env: { HOME: home.dir } });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(how);
    }
  });
});
