import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hermeticEnv, runCli } from '../support/cli/runCli.js';
import { describeWith } from '../support/harness/component.js';
import {
  CLEAR_LINE,
  checkoutCredentialProcessLine,
  configureOidc,
  ENTER,
  issuerAndStsForSuite,
  PtySession,
  ROLE,
  tempHomesForFile,
} from './configure.support.js';

const suite = issuerAndStsForSuite();

const freshHome = tempHomesForFile();

const sessions: PtySession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.kill();
});

describeWith(['cmd:script'], 'fedlogin configure on a terminal', () => {
  it('asks for a web-identity profile, refuses a bad ARN at the prompt, writes the profile, and login then works', async () => {
    const home = await freshHome();
    const tokenFile = path.join(home.home, 'token.jwt');
    await writeFile(
      tokenFile,
      await suite.issuer.sign({ sub: 'repo:octo/app:ref:refs/heads/main', aud: 'sts.amazonaws.com' }),
      { mode: 0o600 },
    );
    const env = hermeticEnv(home.home, home.env);

    const pty = PtySession.start(['configure', '--profile', 'ci'], env);
    sessions.push(pty);
    let at = await pty.waitFor('Login flow');
    pty.type(ENTER); // web-identity is the first choice
    at = await pty.waitFor('IAM role ARN to assume', at);
    pty.type('arn:aws:iam::123:role/x' + ENTER);
    at = await pty.waitFor('is not an IAM role ARN', at);
    pty.type(CLEAR_LINE + ROLE + ENTER);
    at = await pty.waitFor('Where does the OIDC token come from?', at);
    pty.type(ENTER); // file
    at = await pty.waitFor('Path of the token file', at);
    pty.type(tokenFile + ENTER);
    at = await pty.waitFor('AWS region', at);
    pty.type('us-east-1' + ENTER);
    expect(await pty.exitCode()).toBe(0);
    expect(pty.text).toContain('Wrote [profile ci]');
    expect(pty.text).toContain('fedlogin login --profile ci');

    const config = await readFile(home.awsConfigFile, 'utf8');
    expect(config).toContain('[profile ci]');
    expect(config).toContain(`fedlogin_role_arn = ${ROLE}`);
    expect(config).toContain(`fedlogin_token_file = ${tokenFile}`);
    expect(config).toContain(checkoutCredentialProcessLine('ci'));

    const login = await runCli(['login', '--profile', 'ci'], {
      env: { ...home.env, AWS_ENDPOINT_URL_STS: suite.sts.url, FEDLOGIN_STORE: 'file' },
    });
    expect(login.stderr).toContain('Logged in for profile ci (web-identity flow)');
    expect(login.code).toBe(0);
    expect(suite.sts.count('AssumeRoleWithWebIdentity')).toBeGreaterThan(0);
  });

  it('offers the existing values as defaults when run again', async () => {
    const home = await freshHome();
    await writeFile(
      home.awsConfigFile,
      `[profile dev]\nfedlogin_flow = oidc\nfedlogin_issuer = https://login.example.com\nfedlogin_client_id = cli\nfedlogin_role_arn = ${ROLE}\n`,
    );
    const pty = PtySession.start(['configure', '--profile', 'dev'], hermeticEnv(home.home, home.env));
    sessions.push(pty);
    let at = await pty.waitFor('Login flow');
    expect(pty.text.slice(at)).toMatch(/❯ oidc/);
    pty.type(ENTER);
    at = await pty.waitFor('OIDC issuer URL', at);
    await pty.waitFor('https://login.example.com', at);
    pty.type(ENTER);
    at = await pty.waitFor('OIDC client ID', at);
    pty.type(ENTER);
    at = await pty.waitFor('IAM role ARN to assume', at);
    pty.type(ENTER);
    at = await pty.waitFor('device flow', at);
    pty.type('y' + ENTER);
    at = await pty.waitFor('AWS region', at);
    pty.type(ENTER);
    expect(await pty.exitCode()).toBe(0);
    const config = await readFile(home.awsConfigFile, 'utf8');
    expect(config).toBe(
      `[profile dev]\nfedlogin_flow = oidc\nfedlogin_issuer = https://login.example.com\nfedlogin_client_id = cli\nfedlogin_role_arn = ${ROLE}\nfedlogin_device = true\n${checkoutCredentialProcessLine('dev')}\n`,
    );
  });
});

describe('fedlogin configure, scripted', () => {
  it('writes an oidc profile from flags with --non-interactive', async () => {
    const home = await freshHome();
    const result = await runCli(
      configureOidc(
        'dev',
        'https://login.example.com/realms/dev',
        '--client-id',
        'fedlogin-cli',
        '--role-arn',
        ROLE,
        '--region',
        'eu-west-1',
        '--non-interactive',
      ),
      { env: home.env },
    );
    expect(result.stderr).toContain('Wrote [profile dev]');
    expect(result.stderr).toContain('fedlogin login --profile dev');
    expect(result.stdout).toBe('');
    expect(result.code).toBe(0);
    expect(await readFile(home.awsConfigFile, 'utf8')).toBe(
      [
        '[profile dev]',
        'fedlogin_flow = oidc',
        'fedlogin_issuer = https://login.example.com/realms/dev',
        'fedlogin_client_id = fedlogin-cli',
        `fedlogin_role_arn = ${ROLE}`,
        'region = eu-west-1',
        checkoutCredentialProcessLine('dev'),
        '',
      ].join('\n'),
    );
  });

  it('writes a saml profile from flags', async () => {
    const home = await freshHome();
    const result = await runCli(
      [
        'configure',
        '--profile',
        'sso',
        '--flow',
        'saml',
        '--idp-url',
        'https://idp.example.com/app/aws/sso?x=1',
        '--browser',
        'chromium',
        '--non-interactive',
      ],
      { env: home.env },
    );
    expect(result.code).toBe(0);
    const config = await readFile(home.awsConfigFile, 'utf8');
    expect(config).toContain('fedlogin_flow = saml');
    expect(config).toContain('fedlogin_idp_url = https://idp.example.com/app/aws/sso?x=1');
    expect(config).toContain('fedlogin_browser = chromium');
  });

  it('a missing required value is a usage error naming the flag; without a terminal it never asks', async () => {
    const home = await freshHome();
    for (const extra of [['--non-interactive'], []]) {
      const result = await runCli(configureOidc('dev', 'https://login.example.com', '--role-arn', ROLE, ...extra), {
        env: home.env,
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('Missing --client-id');
    }
    await expect(readFile(home.awsConfigFile, 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('refuses invalid values with the validators of the flows', async () => {
    const home = await freshHome();
    const bad = await runCli(configureOidc('x', 'http://login.example.com', '--client-id', 'c', '--role-arn', ROLE), {
      env: home.env,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--issuer');
    const pool = await runCli(
      ['configure', '--profile', 'x', '--flow', 'cognito', '--identity-pool-id', 'nope', '--guest'],
      { env: home.env },
    );
    expect(pool.code).toBe(2);
    expect(pool.stderr).toContain('--identity-pool-id is not a Cognito identity pool ID');
  });

  it("switching a profile's flow drops the old flow's fedlogin_* keys, keeps the rest byte for byte, and doctor agrees", async () => {
    const home = await freshHome();
    const before = [
      '[profile ci]',
      '# was a CI profile',
      'fedlogin_flow = web-identity',
      `fedlogin_role_arn = ${ROLE}`,
      'fedlogin_token_file = /var/run/token',
      'fedlogin_audience = sts.amazonaws.com',
      'region = eu-west-1',
      'output   =   json',
      'fedlogin_store = file',
      '',
    ].join('\n');
    await writeFile(home.awsConfigFile, before);
    const result = await runCli(
      [
        'configure',
        '--profile',
        'ci',
        '--flow',
        'saml',
        '--idp-url',
        'https://idp.example.com/sso',
        '--non-interactive',
      ],
      { env: home.env },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('fedlogin_token_file (removed)');
    expect(result.stderr).toContain('fedlogin_audience (removed)');
    expect(await readFile(home.awsConfigFile, 'utf8')).toBe(
      [
        '[profile ci]',
        '# was a CI profile',
        'fedlogin_flow = saml',
        `fedlogin_role_arn = ${ROLE}`,
        'region = eu-west-1',
        'output   =   json',
        'fedlogin_store = file',
        'fedlogin_idp_url = https://idp.example.com/sso',
        checkoutCredentialProcessLine('ci'),
        '',
      ].join('\n'),
    );

    const doctor = async () => {
      const run = await runCli(['doctor', '--profile', 'ci', '--json'], { env: home.env });
      return (JSON.parse(run.stdout) as { checks: { id: string; status: string; message: string }[] }).checks.find(
        (c) => c.id === 'profile-keys',
      );
    };
    expect((await doctor())?.status).toBe('ok');
    // a key left from web identity by hand: doctor says the saml flow ignores it
    await writeFile(home.awsConfigFile, `${await readFile(home.awsConfigFile, 'utf8')}fedlogin_token_file = /t\n`);
    const keys = await doctor();
    expect(keys?.status).toBe('warn');
    expect(keys?.message).toContain('fedlogin_token_file (read by other flows, not saml)');
  });

  it('keeps the comments and unknown keys of an existing profile, and of the rest of the file', async () => {
    const home = await freshHome();
    const before = [
      '# managed by hand',
      '[default]',
      'region = us-west-2',
      '',
      '[profile ci]',
      '# the CI role',
      'fedlogin_flow = web-identity',
      'fedlogin_role_arn = arn:aws:iam::123456789012:role/old',
      'fedlogin_ci = github',
      's3 =',
      '  max_concurrent_requests = 20',
      'output = json',
      '',
      '; next one',
      '[profile other]',
      'region = eu-central-1',
      '',
    ].join('\n');
    await writeFile(home.awsConfigFile, before);
    const result = await runCli(
      ['configure', '--profile', 'ci', '--role-arn', ROLE, '--token-file', '/var/run/token', '--non-interactive'],
      { env: home.env },
    );
    expect(result.stderr).toContain('fedlogin_ci (removed)');
    expect(result.code).toBe(0);
    expect(await readFile(home.awsConfigFile, 'utf8')).toBe(
      [
        '# managed by hand',
        '[default]',
        'region = us-west-2',
        '',
        '[profile ci]',
        '# the CI role',
        'fedlogin_flow = web-identity',
        `fedlogin_role_arn = ${ROLE}`,
        's3 =',
        '  max_concurrent_requests = 20',
        'output = json',
        'fedlogin_token_file = /var/run/token',
        checkoutCredentialProcessLine('ci'),
        '',
        '; next one',
        '[profile other]',
        'region = eu-central-1',
        '',
      ].join('\n'),
    );
  });
});
