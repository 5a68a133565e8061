/**
 * Issue 14, items 1, 2, 4 and 5, performed against the built CLI as an attacker would: a line
 * break smuggled into a configure value, a profile name carrying a command substitution or
 * __proto__, a credentials file others can read, and FIFOs where the AWS files are. Each is
 * refused with one `fedlogin:` line and exit 2, and leaves ~/.aws as it was; no consumer that
 * reads the files afterwards runs anything. And the credential_process line fedlogin quotes
 * survives a space in the launcher's path, under botocore and the JS SDK alike.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { credentialProcessLine } from '../../src/output/credentialProcessLine.js';
import { setKeys } from '../../src/store/iniEdit.js';
import { FEDLOGIN_BIN, hermeticEnv, makeTempHome, REPO_ROOT, runCli, type TempHome } from '../support/cli/runCli.js';
import { itWith } from '../support/harness/component.js';
import { configureOidc, issuerAndStsForSuite, ROLE } from './configure.support.js';
import { expectOneClearLine } from './faults.support.js';

const EVIL = 'credential_process = ./evil.sh';
const suite = issuerAndStsForSuite();
const homes: TempHome[] = [];

afterAll(async () => {
  await Promise.all(homes.map((h) => h.cleanup()));
});

/** the arguments of `fedlogin configure` for a web-identity profile of ROLE, asking nothing */
const configureWebIdentity = (profile: string, tokenFile = '/var/run/token') => [
  'configure',
  '--profile',
  profile,
  '--flow',
  'web-identity',
  '--role-arn',
  ROLE,
  '--token-file',
  tokenFile,
  '--non-interactive',
];

async function freshHome(config = '[default]\nregion = eu-west-1\n'): Promise<TempHome> {
  const home = await makeTempHome();
  homes.push(home);
  writeFileSync(home.awsConfigFile, config, { mode: 0o600 });
  return home;
}

/** The AWS tools resolving `profile` from these files, in `cwd`: botocore and the JS SDK's fromIni and fromProcess. */
function runConsumers(home: TempHome, profile: string, cwd: string): void {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home.home,
    AWS_CONFIG_FILE: home.awsConfigFile,
    AWS_SHARED_CREDENTIALS_FILE: home.awsCredentialsFile,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const js = `
    import { createRequire } from 'node:module';
    const require = createRequire(${JSON.stringify(path.join(REPO_ROOT, 'package.json'))});
    const profile = process.argv[1];
    for (const [name, make] of [['ini', () => require('@aws-sdk/credential-provider-ini').fromIni({ profile })], ['process', () => require('@aws-sdk/credential-provider-process').fromProcess({ profile })]]) {
      await make()().then(() => console.log(name, 'resolved'), (e) => console.log(name, 'failed:', e.name));
    }`;
  const node = spawnSync(process.execPath, ['--input-type=module', '-e', js, profile], {
    cwd,
    env,
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(node.error).toBeUndefined();
  const py = spawnSync(
    'python3',
    [
      '-c',
      'import sys, botocore.session\ntry:\n  print(botocore.session.Session(profile=sys.argv[1]).get_credentials())\nexcept Exception as e:\n  print("failed:", type(e).__name__)',
      profile,
    ],
    { cwd, env, encoding: 'utf8', timeout: 30_000 },
  );
  expect(py.error).toBeUndefined();
}

describe('config injection (item 1)', () => {
  it("attack: configure --scope $'openid\\ncredential_process = ./evil.sh' is refused naming --scope; the file is unchanged", async () => {
    const home = await freshHome();
    const before = readFileSync(home.awsConfigFile, 'utf8');
    const result = await runCli(
      configureOidc(
        'dev',
        'https://login.example.com',
        '--client-id',
        'cli',
        '--role-arn',
        ROLE,
        '--scope',
        `openid\n${EVIL}`,
        '--non-interactive',
      ),
      { env: home.env },
    );
    expectOneClearLine(result, 2, /^fedlogin: --scope contains the control character U\+000A \(line feed\)/);
    expect(readFileSync(home.awsConfigFile, 'utf8')).toBe(before);
  });

  it.each([
    ['--client-id', ['--flow', 'oidc', '--issuer', 'https://login.example.com', '--role-arn', ROLE]],
    ['--audience', ['--flow', 'web-identity', '--role-arn', ROLE, '--token-file', '/var/run/token']],
    ['--role-session-name', ['--flow', 'web-identity', '--role-arn', ROLE, '--token-file', '/var/run/token']],
    ['--browser', ['--flow', 'saml', '--idp-url', 'https://idp.example.com/app/aws/sso']],
    ['--token-file', ['--flow', 'web-identity', '--role-arn', ROLE]],
  ])('the same line break (and a CR, an ESC) through %s is refused, the file unchanged', async (flag, rest) => {
    const home = await freshHome();
    const before = readFileSync(home.awsConfigFile, 'utf8');
    for (const [sep, name] of [
      ['\n', 'line feed'],
      ['\r', 'carriage return'],
      ['\x1b', 'escape'],
    ] as const) {
      const result = await runCli(
        ['configure', '--profile', 'dev', ...rest, flag, `/x${sep}${EVIL}`, '--non-interactive'],
        { env: home.env },
      );
      expectOneClearLine(
        result,
        2,
        new RegExp(`^fedlogin: ${flag} contains the control character U\\+00[0-9A-F]{2} \\(${name}\\)`),
      );
      expect(readFileSync(home.awsConfigFile, 'utf8')).toBe(before);
    }
  });
});

describe('profile names (item 2)', () => {
  itWith(
    ['botocore'],
    "attack: configure --profile 'ci$(touch${IFS}pwned)' is refused, and no consumer run afterwards creates pwned",
    async () => {
      const home = await freshHome();
      const before = readFileSync(home.awsConfigFile, 'utf8');
      const cwd = path.join(home.home, 'work');
      mkdirSync(cwd);
      const name = 'ci$(touch${IFS}pwned)';
      const result = await runCli(configureWebIdentity(name), { env: home.env, cwd });
      expectOneClearLine(
        result,
        2,
        /cannot be used as a profile name in an AWS file: use only letters, digits and - _ \. @ \+/,
      );
      expect(readFileSync(home.awsConfigFile, 'utf8')).toBe(before);
      runConsumers(home, name, cwd);
      expect(readdirSync(cwd)).toEqual([]);
      expect(readdirSync(REPO_ROOT)).not.toContain('pwned');
    },
  );

  it('attack: configure --profile __proto__ (and constructor, prototype) is refused; the file unchanged', async () => {
    const home = await freshHome();
    const before = readFileSync(home.awsConfigFile, 'utf8');
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      const result = await runCli(configureWebIdentity(name), { env: home.env });
      expectOneClearLine(result, 2, new RegExp(`"${name}" cannot be used as a profile name`));
    }
    expect(readFileSync(home.awsConfigFile, 'utf8')).toBe(before);
  });

  itWith(
    ['botocore'],
    'a credential_process line whose launcher path has a space runs under botocore and the JS SDK fromProcess, with the right arguments',
    async () => {
      const home = await freshHome();
      const dir = path.join(home.home, 'Program Files', "it's here");
      mkdirSync(dir, { recursive: true });
      const launcher = path.join(dir, 'fedlogin');
      // prints credentials only when called with exactly: credential-process --profile dev
      writeFileSync(
        launcher,
        '#!/bin/sh\n[ "$#" = 3 ] && [ "$1" = credential-process ] && [ "$2" = --profile ] && [ "$3" = dev ] || { echo "bad arguments: $*" >&2; exit 1; }\n' +
          'echo \'{"Version":1,"AccessKeyId":"ASIASPACEEXAMPLE0001","SecretAccessKey":"spaceSecretEXAMPLE","SessionToken":"spaceTokenEXAMPLE","Expiration":"2099-01-01T00:00:00Z"}\'\n',
        { mode: 0o700 },
      );
      const line = credentialProcessLine('dev', launcher, 'linux');
      expect(line).toBe(`'${dir.replace("'", `'\\''`)}/fedlogin' credential-process --profile dev`);
      writeFileSync(
        home.awsConfigFile,
        setKeys(readFileSync(home.awsConfigFile, 'utf8'), 'config', 'dev', { credential_process: line }),
      );
      const env = {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: home.home,
        AWS_CONFIG_FILE: home.awsConfigFile,
        AWS_SHARED_CREDENTIALS_FILE: home.awsCredentialsFile,
      };
      const py = spawnSync(
        'python3',
        ['-c', 'import botocore.session\nprint(botocore.session.Session(profile="dev").get_credentials().access_key)'],
        { env, encoding: 'utf8', timeout: 30_000 },
      );
      expect(py.stdout.trim(), py.stderr).toBe('ASIASPACEEXAMPLE0001');
      const js = `
      import { createRequire } from 'node:module';
      const require = createRequire(${JSON.stringify(path.join(REPO_ROOT, 'package.json'))});
      const c = await require('@aws-sdk/credential-provider-process').fromProcess({ profile: 'dev' })();
      console.log(c.accessKeyId);`;
      const node = spawnSync(process.execPath, ['--input-type=module', '-e', js], {
        env,
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(node.stdout.trim(), node.stderr).toBe('ASIASPACEEXAMPLE0001');
    },
  );
});

/** A token the suite's STS accepts, in the home's token.jwt, and the environment of runs against that STS (file store). */
async function tokenForSuiteSts(home: TempHome) {
  const tokenFile = path.join(home.home, 'token.jwt');
  writeFileSync(
    tokenFile,
    await suite.issuer.sign({ sub: 'repo:octo/app:ref:refs/heads/main', aud: 'sts.amazonaws.com' }),
    { mode: 0o600 },
  );
  const env = { ...home.env, AWS_ENDPOINT_URL_STS: suite.sts.url, FEDLOGIN_STORE: 'file' };
  return { tokenFile, env };
}

describe('credentials into readable files (item 4)', () => {
  it('attack: login --output credentials-file with ~/.aws/credentials at 0644 -> written 0600, and stderr says so', async () => {
    const tokenFileDir = await freshHome();
    const home = tokenFileDir;
    const { tokenFile, env } = await tokenForSuiteSts(home);
    const configured = await runCli(configureWebIdentity('ci', tokenFile), { env });
    expect(configured.code, configured.stderr).toBe(0);
    writeFileSync(home.awsCredentialsFile, '[other]\nregion = eu-west-1\n');
    chmodSync(home.awsCredentialsFile, 0o644);
    const login = await runCli(['login', '--profile', 'ci', '--output', 'credentials-file'], { env });
    expect(login.code, login.stderr).toBe(0);
    expect(statSync(home.awsCredentialsFile).mode & 0o777).toBe(0o600);
    expect(login.stderr).toMatch(/could be read by group or others \(mode 0644\); fedlogin wrote it 0600/);
    expect(readFileSync(home.awsCredentialsFile, 'utf8')).toMatch(
      /^\[other\]\nregion = eu-west-1\n\n\[ci\]\naws_access_key_id = ASIA/,
    );
  });

  it('a credentials file others may write (0666) is refused, exit 2, naming the file and chmod; unchanged', async () => {
    const home = await freshHome();
    const { tokenFile, env } = await tokenForSuiteSts(home);
    expect((await runCli(configureWebIdentity('ci', tokenFile), { env })).code).toBe(0);
    writeFileSync(home.awsCredentialsFile, '[other]\nregion = eu-west-1\n');
    chmodSync(home.awsCredentialsFile, 0o666);
    const login = await runCli(['login', '--profile', 'ci', '--output', 'credentials-file'], { env });
    expectOneClearLine(
      login,
      2,
      new RegExp(
        `^fedlogin: ${home.awsCredentialsFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is writable by group and others \\(mode 0666\\)`,
      ),
    );
    expect(login.stderr).toMatch(/chmod go-w/);
    expect(readFileSync(home.awsCredentialsFile, 'utf8')).toBe('[other]\nregion = eu-west-1\n');
  });
});

describe('special files (item 5)', () => {
  it('attack: a FIFO at ~/.aws/config -> credential-process and configure fail at once with exit 2 (no hang)', async () => {
    const home = await makeTempHome();
    homes.push(home);
    expect(spawnSync('mkfifo', [home.awsConfigFile]).status).toBe(0);
    for (const args of [['credential-process', '--profile', 'dev'], configureWebIdentity('dev')]) {
      // spawned here rather than with runCli: the leak scan (a vitest setupFile) reads the config
      // file of every runCli run after the test, and would itself wait on the FIFO
      const run = spawnSync(process.execPath, [FEDLOGIN_BIN, ...args], {
        cwd: home.home,
        env: hermeticEnv(home.home, home.env),
        encoding: 'utf8',
        timeout: 20_000,
      });
      expectOneClearLine(
        {
          code: run.status,
          signal: run.signal,
          stdout: run.stdout,
          stderr: run.stderr,
          timedOut: run.error !== undefined,
          durationMs: 0,
        },
        2,
        /is a FIFO \(named pipe\), not a regular file/,
      );
    }
    expect(statSync(home.awsConfigFile).isFIFO()).toBe(true);
  });
});
