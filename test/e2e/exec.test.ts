import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli/runCli.js';
import { spawnCli } from '../support/cli/spawnCli.js';
import { componentPath, describeWith } from '../support/harness/component.js';
import { PROFILE, webIdentityProfileForSuite } from './exec.support.js';

const printEnv = 'console.log(JSON.stringify({ env: process.env, argv: process.argv }))';

describe('fedlogin exec', () => {
  const setup = webIdentityProfileForSuite();
  /** `fedlogin exec --profile PROFILE -- node -e <script>`, spawned with a stdin, for the signal tests */
  const execNodeScript = (script: string) =>
    spawnCli(['exec', '--profile', PROFILE, '--', process.execPath, '-e', script], {
      home: setup.home.home,
      env: setup.env,
      stdin: 'pipe',
    });

  it('gives the command the keys, the region and FEDLOGIN_PROFILE, without AWS_PROFILE or stale keys', async () => {
    const result = await runCli(['exec', '--', process.execPath, '-e', printEnv], {
      env: {
        ...setup.env,
        AWS_PROFILE: PROFILE,
        AWS_DEFAULT_PROFILE: 'other',
        AWS_ACCESS_KEY_ID: 'AKIASTALEEXAMPLE0001',
        AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/x',
        KEEP_ME: 'kept',
      },
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const { env, argv } = JSON.parse(result.stdout) as { env: Record<string, string>; argv: string[] };
    const issued = setup.sts.issued.at(-1)!;
    expect(env).toMatchObject({
      AWS_ACCESS_KEY_ID: issued.accessKeyId,
      AWS_SECRET_ACCESS_KEY: issued.secretAccessKey,
      AWS_SESSION_TOKEN: issued.sessionToken,
      AWS_CREDENTIAL_EXPIRATION: `${issued.expiration.toISOString().slice(0, 19)}Z`,
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      FEDLOGIN_PROFILE: PROFILE,
      KEEP_ME: 'kept',
    });
    for (const name of [
      'AWS_PROFILE',
      'AWS_DEFAULT_PROFILE',
      'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
      'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    ]) {
      expect(env, name).not.toHaveProperty(name);
    }
    expect(argv.join(' ')).not.toContain(issued.secretAccessKey);
  });

  it('with --server gives an endpoint and a token instead of keys', async () => {
    const result = await runCli(['exec', '--profile', PROFILE, '--server', '--', process.execPath, '-e', printEnv], {
      env: setup.env,
    });
    expect(result.code).toBe(0);
    const { env } = JSON.parse(result.stdout) as { env: Record<string, string> };
    expect(env.AWS_CONTAINER_CREDENTIALS_FULL_URI).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/credentials$/);
    expect(env.AWS_CONTAINER_AUTHORIZATION_TOKEN!.length).toBeGreaterThanOrEqual(43);
    expect(env).toMatchObject({ FEDLOGIN_PROFILE: PROFILE, AWS_REGION: 'us-east-1' });
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'])
      expect(env, name).not.toHaveProperty(name);
    for (const secret of setup.sts.secrets()) expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it('passes everything from the command word on to the command, fedlogin-like flags and all ("--" optional)', async () => {
    // fedlogin's own --version, --debug and --profile, and flags it does not know, belong to the command
    const result = await runCli(
      [
        'exec',
        '--profile',
        PROFILE,
        'sh',
        '-c',
        'printf "%s|" "$FEDLOGIN_PROFILE" "$@"',
        'sh',
        '--version',
        '-la',
        '--debug',
        '--profile',
        'x',
      ],
      { env: setup.env },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${PROFILE}|--version|-la|--debug|--profile|x|`);

    const ls = await runCli(['exec', '--profile', PROFILE, 'ls', '-la', setup.home.home], { env: setup.env });
    expect(ls.stderr).toBe('');
    expect(ls.code).toBe(0);
    expect(ls.stdout).toMatch(/^total \d+/);

    // a global option after the command name still works for fedlogin's other commands
    const status = await runCli(['status', '--profile', PROFILE, '--json'], { env: setup.env });
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).profiles.map((p: { profile: string }) => p.profile)).toEqual([PROFILE]);
  });

  it('passes the exit code through and reads the cache instead of logging in again', async () => {
    const before = setup.sts.count('AssumeRoleWithWebIdentity');
    const result = await runCli(['exec', '--profile', PROFILE, '--', 'sh', '-c', 'exit 7'], { env: setup.env });
    expect(result.code).toBe(7);
    expect(setup.sts.count('AssumeRoleWithWebIdentity')).toBe(before);
  });

  it('refuses to nest inside another fedlogin exec unless --force', async () => {
    const nested = await runCli(['exec', '--profile', PROFILE, '--', 'sh', '-c', 'echo ran'], {
      env: { ...setup.env, FEDLOGIN_PROFILE: 'prod' },
    });
    expect(nested.code).toBe(2);
    expect(nested.stdout).toBe('');
    expect(nested.stderr).toContain('already runs under fedlogin exec for profile prod');
    expect(nested.stderr).toContain('--force');
    const forced = await runCli(
      ['exec', '--profile', PROFILE, '--force', '--', 'sh', '-c', 'echo "ran $FEDLOGIN_PROFILE"'],
      {
        env: { ...setup.env, FEDLOGIN_PROFILE: 'prod' },
      },
    );
    expect(forced).toMatchObject({ code: 0, stdout: `ran ${PROFILE}\n` });
  });

  it('says which command could not be found', async () => {
    const result = await runCli(['exec', '--profile', PROFILE, '--', 'no-such-command-fedlogin'], { env: setup.env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Cannot run "no-such-command-fedlogin"');
  });

  it('passes SIGINT on to the command and returns its exit code', async () => {
    const script =
      "process.on('SIGINT', () => { console.log('child got SIGINT'); process.exit(42); }); console.log('ready'); setInterval(() => {}, 1000);";
    const cli = execNodeScript(script);
    try {
      await cli.waitForStdout(/ready/);
      cli.signal('SIGINT');
      expect(await cli.exited()).toEqual({ code: 42, signal: null });
      expect(cli.stdout()).toContain('child got SIGINT');
    } finally {
      cli.kill();
    }
  });

  it('passes SIGTERM on, and exits 128+15 when it ends the command', async () => {
    const script = "console.log('ready'); setInterval(() => {}, 1000);";
    const cli = execNodeScript(script);
    try {
      await cli.waitForStdout(/ready/);
      cli.signal('SIGTERM');
      expect(await cli.exited()).toEqual({ code: 143, signal: null });
    } finally {
      cli.kill();
    }
  });
});

describeWith(['aws-cli-v2'], 'fedlogin exec with the AWS CLI as the command', () => {
  const setup = webIdentityProfileForSuite({ region: 'eu-west-2' });
  // a HOME whose config has no default region: the AWS CLI only knows what exec gives it
  const aws = () => componentPath('aws-cli-v2');

  it("`exec aws --version` is the AWS CLI's version, not fedlogin's", async () => {
    const result = await runCli(['exec', '--profile', PROFILE, aws(), '--version'], { env: setup.env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).toMatch(/^aws-cli\/2\./);
  });

  for (const server of [false, true]) {
    it(`${server ? 'with --server' : 'with keys'}, the AWS CLI signs in the profile's region without one of its own`, async () => {
      const result = await runCli(
        [
          'exec',
          '--profile',
          PROFILE,
          ...(server ? ['--server'] : []),
          aws(),
          'sts',
          'get-caller-identity',
          '--endpoint-url',
          setup.sts.url,
          '--output',
          'json',
        ],
        { env: setup.env },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout).Arn).toMatch(/^arn:aws:sts::123456789012:assumed-role\/dev\//);
      const call = setup.sts.requests.filter((r) => r.action === 'GetCallerIdentity').at(-1);
      expect(call?.notes.region).toBe('eu-west-2');
    });
  }
});
