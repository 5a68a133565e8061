/**
 * The CLI run in-process through run(argv, { env, stdout, stderr }): help, version, usage errors
 * and their exit codes, and a few commands that need no network, with both streams captured.
 */
import { realpathSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/cli/commands/index.js';
import { packageVersion } from '../../../src/cli/version.js';
import { FEDLOGIN_BIN } from '../../support/cli/spawnCli.js';
import { makeTempHome, type TempHome } from '../../support/cli/tempHome.js';
import { runInProcess } from './inProcess.js';

const COMMAND_NAMES = [
  'login',
  'web-identity',
  'saml',
  'oidc',
  'cognito',
  'sso',
  'credential-process',
  'env',
  'exec',
  'serve',
  'console',
  'status',
  'logout',
  'completion',
  'configure',
  'doctor',
];

let home: TempHome;
// FEDLOGIN_STORE=file: nothing here may reach the developer's keychain
const env = () => ({ ...home.env, NO_COLOR: '1', FEDLOGIN_STORE: 'file' });

beforeEach(async () => {
  home = await makeTempHome();
});
afterEach(async () => {
  await home.cleanup();
});

describe('help and version', () => {
  it('--help lists every command on stdout and exits 0', async () => {
    const { code, stdout, stderr } = await runInProcess(['--help'], env());
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Usage: fedlogin \[options\] \[command\]/);
    const commands = stdout.slice(stdout.indexOf('\nCommands:\n'), stdout.indexOf('\nExamples:\n'));
    const listed = [...commands.matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1]);
    expect(listed).toEqual([...COMMAND_NAMES, 'help']);
    expect(COMMANDS).toHaveLength(COMMAND_NAMES.length);
    expect(stdout).toContain('Exit codes: 0 ok, 1 internal error, 2 usage or configuration error');
  });

  it.each(['--version', '-V'])('%s prints the version of package.json and exits 0', async (flag) => {
    const { code, stdout, stderr } = await runInProcess([flag], env());
    expect(code).toBe(0);
    expect(stdout).toBe(`${packageVersion()}\n`);
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
    expect(stderr).toBe('');
  });

  it.each([...COMMAND_NAMES, 'saml decode'])('%s --help prints its usage on stdout and exits 0', async (name) => {
    const { code, stdout, stderr } = await runInProcess([...name.split(' '), '--help'], env());
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout.split('\n')[0]).toMatch(new RegExp(`^Usage: fedlogin ${name} `));
    if (name !== 'saml decode') expect(stdout).toContain('Examples:');
    // the global options are accepted after the command name, so its help lists them
    const globals = stdout.slice(stdout.indexOf('\nGlobal options:\n'));
    for (const flag of ['-p, --profile <name>', '--region <region>', '--debug', '-q, --quiet', '--no-color'])
      expect(globals, flag).toContain(`  ${flag} `);
  });

  it('a global option works before or after the command name; the one nearest the command wins', async () => {
    for (const argv of [
      ['--profile', 'nope', 'status'],
      ['status', '--profile', 'nope'],
      ['status', '-p', 'nope'],
      ['--profile', 'other', 'status', '--profile', 'nope'],
    ]) {
      const { code, stderr } = await runInProcess(argv, env());
      expect(code, argv.join(' ')).toBe(2);
      expect(stderr, argv.join(' ')).toContain('No profile "nope"');
    }
    expect(await runInProcess(['status', '--quiet'], env())).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('help COMMAND is the same as COMMAND --help', async () => {
    const viaHelp = await runInProcess(['help', 'exec'], env());
    const viaFlag = await runInProcess(['exec', '--help'], env());
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
  });

  it('no command at all shows the help and exits 0', async () => {
    const { code, stdout, stderr } = await runInProcess([], env());
    expect(code).toBe(0);
    expect(stdout + stderr).toContain('Usage: fedlogin [options] [command]');
  });
});

describe('usage errors exit 2 with the reason on stderr and nothing on stdout', () => {
  it.each([
    [['nope'], "error: unknown command 'nope'"],
    [['env', '--nope'], "error: unknown option '--nope'"],
    [['--nope'], "error: unknown option '--nope'"],
    [['exec'], "error: missing required argument 'command'"],
    [['completion'], "error: missing required argument 'shell'"],
    [['env', '--format'], "error: option '--format <format>' argument missing"],
    [['saml', 'decode', 'a', 'b'], 'error: too many arguments'],
  ])('%j', async (argv, message) => {
    const { code, stdout, stderr } = await runInProcess(argv, env());
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).toContain('(run with --help for usage)');
  });

  it.each([
    [['logout'], 'fedlogin: Say which profile to log out of: --profile NAME, or --all.\n'],
    [['completion', 'tcsh'], 'fedlogin: the shell must be one of bash, zsh, fish; got "tcsh".\n'],
    [
      ['web-identity', '--token-file', '/t', '--ci', 'auto'],
      'fedlogin: Give one token source: --token-file, --token-env, --token-stdin or --ci.\n',
    ],
    [['env', '--format', 'tcsh'], undefined],
    [['exec', '--profile', 'dev', '--', 'true'], 'fedlogin: No profile "dev" in'],
    [['configure', '--profile', 'x', '--non-interactive'], 'fedlogin: Missing --flow: which login flow profile x uses'],
  ])('a FedloginError of kind usage from the command: %j', async (argv, start) => {
    const { code, stdout, stderr } = await runInProcess(argv, env());
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^fedlogin: /);
    if (start) expect(stderr.startsWith(start)).toBe(true);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack without --debug
  });

  it('--debug adds the stack and the code', async () => {
    const { code, stderr } = await runInProcess(['--debug', 'logout'], env());
    expect(code).toBe(2);
    expect(stderr).toMatch(/^fedlogin: Say which profile to log out of/);
    expect(stderr).toMatch(/\n\s+at /);
    expect(stderr).toContain('\ncode: PROFILE_REQUIRED\n');
  });

  it('FEDLOGIN_DEBUG=1 is --debug', async () => {
    const { stderr } = await runInProcess(['logout'], { ...env(), FEDLOGIN_DEBUG: '1' });
    expect(stderr).toContain('\ncode: PROFILE_REQUIRED\n');
  });
});

describe('commands in-process', () => {
  it('completion writes the script on stdout', async () => {
    const { code, stdout, stderr } = await runInProcess(['completion', 'bash'], env());
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('complete -F');
    for (const name of COMMAND_NAMES) expect(stdout).toContain(name);
  });

  it('status: notices go to stderr (silenced by --quiet), the JSON to stdout', async () => {
    const empty = await runInProcess(['status'], env());
    expect(empty).toEqual({
      code: 0,
      stdout: '',
      stderr: 'No fedlogin profiles yet. Create one with: fedlogin configure --profile NAME\n',
    });
    expect(await runInProcess(['--quiet', 'status'], env())).toEqual({ code: 0, stdout: '', stderr: '' });

    await writeFile(
      home.awsConfigFile,
      '[profile dev]\nfedlogin_flow = web-identity\nfedlogin_role_arn = arn:aws:iam::123456789012:role/dev\n',
    );
    const json = await runInProcess(['status', '--json'], env());
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout)).toEqual({
      profiles: [
        {
          profile: 'dev',
          flow: 'web-identity',
          role: 'arn:aws:iam::123456789012:role/dev',
          store: 'file',
          state: 'none',
          expiration: null,
          signIn: 'web identity token',
          source: null,
          hops: [],
        },
      ],
      signIns: [{ signIn: 'web identity token', profiles: [{ profile: 'dev', expiration: null, chained: [] }] }],
    });
  });

  it('status --profile of a missing profile is a usage error', async () => {
    const { code, stderr } = await runInProcess(['status', '--profile', 'nope'], env());
    expect(code).toBe(2);
    expect(stderr).toBe(
      'fedlogin: No profile "nope" in the AWS config file.\n  Create it with: fedlogin configure --profile nope\n',
    );
  });

  it('AWS_PROFILE names the profile when --profile is not given', async () => {
    const { code, stderr } = await runInProcess(['status'], { ...env(), AWS_PROFILE: 'from-env' });
    expect(code).toBe(2);
    expect(stderr).toContain('No profile "from-env"');
  });

  it('configure --non-interactive writes the profile and says so on stderr', async () => {
    const { code, stdout, stderr } = await runInProcess(
      [
        'configure',
        '--profile',
        'ci',
        '--flow',
        'web-identity',
        '--role-arn',
        'arn:aws:iam::123456789012:role/ci',
        '--token-file',
        '/var/run/token',
        '--non-interactive',
      ],
      env(),
    );
    expect({ code, stdout }).toEqual({ code: 0, stdout: '' });
    expect(stderr).toContain(`Wrote [profile ci] in ${home.awsConfigFile}:`);
    const written = await readFile(home.awsConfigFile, 'utf8');
    expect(written).toContain('[profile ci]');
    expect(written).toContain('fedlogin_role_arn = arn:aws:iam::123456789012:role/ci');
    expect(written).toContain('fedlogin_token_file = /var/run/token');
    // no PATH here, so no fedlogin on it: the line names this checkout's launcher by its path
    expect(written).toContain(`credential_process = ${realpathSync(FEDLOGIN_BIN)} credential-process --profile ci`);
  });

  it("configure refuses a bad value with the validator's message, naming the flag", async () => {
    const { code, stderr } = await runInProcess(
      [
        'configure',
        '--profile',
        'ci',
        '--flow',
        'web-identity',
        '--role-arn',
        'not-an-arn',
        '--token-file',
        '/t',
        '--non-interactive',
      ],
      env(),
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/^fedlogin: --role-arn /);
  });

  it("an action's number is the exit code: doctor exits 2 when a check fails, its report on stdout", async () => {
    const { code, stdout, stderr } = await runInProcess(['doctor', '--profile', 'nope', '--json'], env());
    expect(code).toBe(2);
    expect(stderr).toBe('');
    const { checks } = JSON.parse(stdout) as { checks: { id: string; status: string; message: string }[] };
    expect(checks.map((c) => `${c.id} ${c.status}`)).toEqual([
      'config-file ok',
      'credentials-file ok',
      'credentials-permissions ok',
      'profile fail',
    ]);
    expect(checks.at(-1)!.message).toBe(`No profile "nope" in ${home.awsConfigFile}.`);
  });

  it('logout --all with no profiles has nothing to do', async () => {
    expect(await runInProcess(['logout', '--all'], env())).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});
