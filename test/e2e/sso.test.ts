import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { motoForSuite } from '../support/aws/moto.js';
import { type SsoAccount, type SsoEndpoint, startSsoEndpoint } from '../support/aws/ssoEndpoint.js';
import { hermeticEnv, makeTempHome, runCli, type TempHome } from '../support/cli/runCli.js';
import { spawnCli } from '../support/cli/spawnCli.js';
import { awsConfigText } from '../support/harness/builders.js';
import { componentPath, describeWith } from '../support/harness/component.js';
import { followAsBrowser } from '../support/harness/followRedirects.js';
import { runProcess } from '../support/harness/runProcess.js';
import { forSuite } from '../support/harness/suite.js';
import {
  deviceLogin as deviceLoginAt,
  expireCachedToken as expireAt,
  readTokenCache,
  SESSION,
  START_URL,
  sampleAccounts,
  sessionSection,
  ssoProfile,
  tokenCacheFile,
} from './sso.support.js';

/**
 * IAM Identity Center end to end: the built CLI against the SSO stand-in (SSO-OIDC + portal on
 * loopback), its token cache read natively by botocore and the JS SDK with no fedlogin process,
 * silent renewal with rotation, single flight across processes, sync and prune, logout.
 * status, logout --all and cache keys of SSO profiles: sso.status.test.ts; ca_bundle: sso.network.test.ts.
 */

const RFC3339_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

const ACCOUNTS: SsoAccount[] = sampleAccounts();

const sso = forSuite(
  'the IAM Identity Center stand-in',
  () => startSsoEndpoint({ accounts: ACCOUNTS }),
  (s: SsoEndpoint) => s.close(),
);

let home: TempHome;
const cacheFile = () => tokenCacheFile(home.home);
const readCache = () => readTokenCache(home.home);
const env = () => ({ ...sso.env });

beforeEach(async () => {
  home = await makeTempHome();
  sso.reset();
  sso.setApproval('auto');
  await writeFile(home.awsConfigFile, awsConfigText(sessionSection(), ssoProfile('ro')));
});
afterEach(async () => {
  await home.cleanup();
});

const deviceLogin = () => deviceLoginAt(home.home, env());

/** Moves the cached token's expiry into the past, as time would. */
const expireCachedToken = () => expireAt(home.home, sso);

describe('fedlogin sso login', () => {
  it('device flow: writes the token cache the AWS tools read, 0600 in a 0700 folder', async () => {
    await deviceLogin();
    const cache = await readCache();
    expect(Object.keys(cache).sort()).toEqual(
      [
        'accessToken',
        'clientId',
        'clientSecret',
        'expiresAt',
        'refreshToken',
        'region',
        'registrationExpiresAt',
        'startUrl',
      ].sort(),
    );
    expect(cache.startUrl).toBe(START_URL);
    expect(cache.region).toBe('eu-west-1');
    expect(cache.expiresAt).toMatch(RFC3339_SECONDS);
    expect(cache.registrationExpiresAt).toMatch(RFC3339_SECONDS);
    expect(sso.isAccessTokenValid(cache.accessToken!)).toBe(true);
    expect((await stat(cacheFile())).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(cacheFile()))).mode & 0o777).toBe(0o700);
    expect(sso.count('RegisterClient')).toBe(1);
    expect(sso.count('StartDeviceAuthorization')).toBe(1);
  });

  it('authorization code + PKCE on a loopback redirect; the registration is reused by the next sign-in', async () => {
    const signIn = async () => {
      const cli = spawnCli(['sso', 'login', '--sso-session', SESSION, '--no-device', '--no-browser'], {
        home: home.home,
        env: env(),
      });
      const [url] = await cli.waitForStderr(/http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+/);
      const authorize = new URL(url);
      expect(authorize.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);
      expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
      const page = await followAsBrowser(url);
      expect(page.status).toBe(200);
      const result = await cli.result;
      expect(result.code, result.stderr).toBe(0);
    };
    await signIn();
    expect(sso.grants.authorization_code).toBe(1);
    const first = await readCache();
    await signIn();
    expect(sso.count('RegisterClient')).toBe(1);
    expect(sso.grants.authorization_code).toBe(2);
    expect((await readCache()).accessToken).not.toBe(first.accessToken);
  });

  it('--browser PATH opens the sign-in in that browser, whose command line holds only the one-shot loopback address', async () => {
    // a "browser" that notes its arguments and then behaves as one: follows the redirects to the end
    const argvFile = path.join(home.home, 'browser-argv.json');
    const browser = path.join(home.home, 'fake-browser');
    await writeFile(
      browser,
      `#!${process.execPath}\nconst url = process.argv.at(-1);\nrequire('node:fs').writeFileSync(${JSON.stringify(argvFile)}, JSON.stringify(process.argv.slice(2)));\nfetch(url).then((r) => r.text());\n`,
      { mode: 0o700 },
    );
    const result = await runCli(['sso', 'login', '--sso-session', SESSION, '--no-device', '--browser', browser], {
      env: { HOME: home.home, ...env(), DISPLAY: ':0' },
      timeoutMs: 60_000,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(sso.grants.authorization_code).toBe(1);
    const argv = JSON.parse(await readFile(argvFile, 'utf8')) as string[];
    const opened = new URL(argv.at(-1)!);
    expect(opened.hostname).toBe('127.0.0.1');
    expect(opened.searchParams.size, 'no state or code challenge on the command line').toBe(0);
    expect(argv.join(' ')).not.toMatch(/state=|code_challenge|authorize/);
  });

  it('--profile names the session; without a display the device flow is chosen by itself', async () => {
    const result = await runCli(['sso', 'login', '--profile', 'ro'], {
      env: { HOME: home.home, ...env(), DISPLAY: undefined, WAYLAND_DISPLAY: undefined },
      timeoutMs: 60_000,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/enter the code:/);
    expect(sso.count('StartDeviceAuthorization')).toBe(1);
    expect((await readCache()).startUrl).toBe(START_URL);
  });

  it('a denied sign-in fails with exit 3 and writes nothing', async () => {
    sso.setApproval('deny');
    const cli = spawnCli(['sso', 'login', '--sso-session', SESSION, '--no-device', '--no-browser'], {
      home: home.home,
      env: env(),
    });
    const [url] = await cli.waitForStderr(/http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+/);
    await followAsBrowser(url);
    const result = await cli.result;
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/access_denied/);
    await expect(stat(cacheFile())).rejects.toThrow();
  });

  it('nobody signs in: --timeout ends the wait with exit 3, the listener closed', async () => {
    const result = await runCli(
      ['sso', 'login', '--sso-session', SESSION, '--no-device', '--no-browser', '--timeout', '2s'],
      { env: { HOME: home.home, ...env() } },
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('No sign-in was completed within 2s');
    await expect(stat(cacheFile())).rejects.toThrow();
  });

  it('an unknown sso-session is a usage error naming the fix', async () => {
    const result = await runCli(['sso', 'login', '--sso-session', 'nope'], { env: { HOME: home.home, ...env() } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No [sso-session nope]');
    expect(result.stderr).toContain('fedlogin configure --flow sso');
  });
});

describe('role credentials for SSO profiles', () => {
  it('env and credential-process use the cached token and GetRoleCredentials', async () => {
    await deviceLogin();
    const result = await runCli(['credential-process', '--profile', 'ro'], { env: { HOME: home.home, ...env() } });
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as { AccessKeyId: string; Expiration: string };
    expect(out.AccessKeyId).toBe(sso.issuedRoleCredentials.at(-1)!.accessKeyId);
    expect(sso.issuedRoleCredentials.at(-1)).toMatchObject({ accountId: '111111111111', roleName: 'ReadOnly' });
    // a second call is served from fedlogin's credential cache
    const again = await runCli(['credential-process', '--profile', 'ro'], { env: { HOME: home.home, ...env() } });
    expect(again.code).toBe(0);
    expect(sso.count('GetRoleCredentials')).toBe(1);
  });

  it('exec gives the command the role credentials of an SSO profile', async () => {
    await deviceLogin();
    const result = await runCli(
      ['exec', '--profile', 'ro', '--', process.execPath, '-e', 'process.stdout.write(process.env.AWS_ACCESS_KEY_ID)'],
      { env: { HOME: home.home, ...env() } },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(sso.issuedRoleCredentials.at(-1)!.accessKeyId);
  });

  it('without a token and without a terminal: fails at once naming fedlogin sso login', async () => {
    const result = await runCli(['credential-process', '--profile', 'ro'], { env: { HOME: home.home, ...env() } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`fedlogin sso login --sso-session ${SESSION}`);
    expect(sso.requests).toEqual([]);
  });

  it('a role not granted is refused (exit 3) naming sso sync', async () => {
    await writeFile(home.awsConfigFile, awsConfigText(sessionSection(), ssoProfile('nope', '222222222222', 'Admin')));
    await deviceLogin();
    const result = await runCli(['env', '--profile', 'nope'], { env: { HOME: home.home, ...env() } });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('fedlogin sso sync');
  });
});

describe('silent renewal', () => {
  it('an expired access token is renewed with the refresh token, which rotates and is saved', async () => {
    await deviceLogin();
    const before = await readCache();
    await expireCachedToken();
    const result = await runCli(['env', '--profile', 'ro', '--format', 'json'], { env: { HOME: home.home, ...env() } });
    expect(result.code, result.stderr).toBe(0);
    expect(sso.grants.refresh_token).toBe(1);
    const after = await readCache();
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(sso.isAccessTokenValid(after.accessToken!)).toBe(true);
    expect(after.expiresAt).toMatch(RFC3339_SECONDS);
    expect((await stat(cacheFile())).mode & 0o777).toBe(0o600);
  });

  it('a token the portal refuses although the cache says valid is renewed once, then used', async () => {
    await deviceLogin();
    const before = await readCache();
    sso.expireAccessTokens(); // signed out elsewhere: the cache still says the token is valid
    const result = await runCli(['credential-process', '--profile', 'ro'], { env: { HOME: home.home, ...env() } });
    expect(result.code, result.stderr).toBe(0);
    expect(sso.grants.refresh_token).toBe(1);
    expect(sso.count('GetRoleCredentials')).toBe(2);
    expect((await readCache()).accessToken).not.toBe(before.accessToken);
  });

  it('a revoked refresh token: no terminal, so it fails naming the sign-in command', async () => {
    await deviceLogin();
    await expireCachedToken();
    sso.revokeRefreshTokens();
    const result = await runCli(['env', '--profile', 'ro'], { env: { HOME: home.home, ...env() } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`fedlogin sso login --sso-session ${SESSION}`);
    expect(sso.grants.refresh_token).toBe(1);
  });

  it('32 processes on 32 profiles of one expired session: one CreateToken', { timeout: 240_000 }, async () => {
    const profiles: string[][] = [];
    const names: string[] = [];
    for (let i = 0; i < 32; i++) {
      const account = ACCOUNTS[i % ACCOUNTS.length]!;
      const name = `p${i}`;
      names.push(name);
      // distinct profiles (fedlogin's credential cache and lock are per profile); one session
      profiles.push(ssoProfile(name, account.accountId, account.roles[0]!));
    }
    await writeFile(home.awsConfigFile, awsConfigText(sessionSection(), ...profiles));
    await deviceLogin();
    await expireCachedToken();
    sso.reset();
    const runs = names.map((name) =>
      spawnCli(['credential-process', '--profile', name], { home: home.home, env: env(), timeoutMs: 200_000 }),
    );
    const results = await Promise.all(runs.map((r) => r.result));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    expect(sso.count('CreateToken')).toBe(1);
    expect(sso.grants.refresh_token).toBe(1);
    expect(sso.count('GetRoleCredentials')).toBe(32);
  });
});

describe('fedlogin sso sync', () => {
  const managed = (name: string) => new RegExp(`\\[profile ${name}\\][^[]*fedlogin_managed_by = sso-sync:${SESSION}`);

  it('writes one tagged profile per account and role, keeps every other byte, prunes only its own', async () => {
    const personal = ['# my own notes', '[profile dev-Developer]', 'region = us-west-2', '; hand-written', ''].join(
      '\n',
    );
    const original = `${awsConfigText(sessionSection(), ssoProfile('ro'))}${personal}`;
    await writeFile(home.awsConfigFile, original);
    await deviceLogin();

    const dry = await runCli(['sso', 'sync', '--sso-session', SESSION, '--dry-run'], {
      env: { HOME: home.home, ...env() },
    });
    expect(dry.code, dry.stderr).toBe(0);
    // one line per change (each line escaped on its own, the line breaks kept)
    expect(dry.stdout).toMatch(/^\+ \[profile Prod-Account-Admin\]$/m);
    expect(dry.stdout).toMatch(/^! \[profile dev-Developer\] left alone/m);
    expect(await readFile(home.awsConfigFile, 'utf8')).toBe(original);

    sso.reset();
    const sync = await runCli(['sso', 'sync', '--sso-session', SESSION], { env: { HOME: home.home, ...env() } });
    expect(sync.code, sync.stderr).toBe(0);
    const synced = await readFile(home.awsConfigFile, 'utf8');
    expect(synced.startsWith(original)).toBe(true); // appended only: every byte before is kept
    for (const name of ['Prod-Account-ReadOnly', 'Prod-Account-Admin', 'sandbox-Developer', 'sandbox-Admin'])
      expect(synced).toMatch(managed(name));
    expect(synced).not.toMatch(managed('dev-Developer'));
    expect(sso.count('ListAccounts')).toBe(2); // two pages
    expect(sso.count('ListAccountRoles')).toBe(3);

    // sandbox loses Admin; a sync without --prune keeps the profile, with --prune removes it
    ACCOUNTS[2]!.roles = ['Developer'];
    try {
      const keep = await runCli(['sso', 'sync', '--sso-session', SESSION], { env: { HOME: home.home, ...env() } });
      expect(keep.stderr).toContain('1 no longer granted');
      expect(await readFile(home.awsConfigFile, 'utf8')).toBe(synced);
      const prune = await runCli(['sso', 'sync', '--sso-session', SESSION, '--prune'], {
        env: { HOME: home.home, ...env() },
      });
      expect(prune.code, prune.stderr).toBe(0);
      const pruned = await readFile(home.awsConfigFile, 'utf8');
      expect(pruned).not.toContain('[profile sandbox-Admin]');
      expect(pruned).toMatch(managed('sandbox-Developer'));
      expect(pruned.startsWith(original)).toBe(true);
    } finally {
      ACCOUNTS[2]!.roles = ['Developer', 'Admin'];
    }
  });
});

describe('fedlogin sso logout', () => {
  it('signs out at the portal and removes the cache file', async () => {
    await deviceLogin();
    const token = (await readCache()).accessToken!;
    const result = await runCli(['sso', 'logout', '--sso-session', SESSION], { env: { HOME: home.home, ...env() } });
    expect(result.code, result.stderr).toBe(0);
    expect(sso.count('Logout')).toBe(1);
    expect(sso.isAccessTokenValid(token)).toBe(false);
    await expect(stat(cacheFile())).rejects.toThrow();
  });
});

describeWith(['aws-cli-v1', 'botocore'], "botocore reads and renews fedlogin's token cache natively", () => {
  const moto = motoForSuite();

  it('aws (v1) calls with an SSO profile, no fedlogin process involved; a renewal by botocore is read by fedlogin', async () => {
    await deviceLogin();
    sso.reset();
    const awsEnv = hermeticEnv(home.home, { ...env(), AWS_REGION: 'eu-west-1' });
    const call = () =>
      runProcess(
        componentPath('aws-cli-v1'),
        ['sts', 'get-caller-identity', '--profile', 'ro', '--endpoint-url', moto.url, '--output', 'json'],
        { env: awsEnv },
      );
    const first = await call();
    expect(first.code, first.stderr).toBe(0);
    expect(sso.count('GetRoleCredentials')).toBe(1);
    expect(sso.count('CreateToken')).toBe(0);

    // botocore renews within 15 minutes of the end, with the refresh token fedlogin saved
    await expireCachedToken();
    const second = await call();
    expect(second.code, second.stderr).toBe(0);
    expect(sso.grants.refresh_token).toBe(1);
    const written = await readCache();
    expect(sso.isAccessTokenValid(written.accessToken!)).toBe(true);

    // fedlogin reads what botocore wrote, and renews it in turn
    await expireCachedToken();
    const fedlogin = await runCli(['credential-process', '--profile', 'ro'], { env: { HOME: home.home, ...env() } });
    expect(fedlogin.code, fedlogin.stderr).toBe(0);
    expect(sso.grants.refresh_token).toBe(2);
  });
});

describeWith(['npm:@aws-sdk/credential-provider-sso'], "the JS SDK's fromSSO reads fedlogin's token cache", () => {
  it('resolves role credentials from the cache alone', async () => {
    await deviceLogin();
    sso.reset();
    const script = `
      const { fromSSO } = await import('@aws-sdk/credential-provider-sso');
      const creds = await fromSSO({ profile: 'ro' })();
      console.log(JSON.stringify({ accessKeyId: creds.accessKeyId }));
    `;
    const result = await runProcess(process.execPath, ['--input-type=module', '-e', script], {
      env: hermeticEnv(home.home, env()),
      cwd: process.cwd(),
    });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).accessKeyId).toBe(sso.issuedRoleCredentials.at(-1)!.accessKeyId);
    expect(sso.count('CreateToken')).toBe(0);
  });
});

describe('fedlogin configure --flow sso', () => {
  it('writes [sso-session] and the profile losslessly; a second profile of the session needs no URL', async () => {
    const original = '# mine\n[profile keep]\nregion = us-west-2 \n';
    await writeFile(home.awsConfigFile, original);
    const first = await runCli(
      [
        'configure',
        '--profile',
        'prod-ro',
        '--flow',
        'sso',
        '--sso-session',
        'newcorp',
        '--sso-start-url',
        START_URL,
        '--sso-region',
        'eu-west-1',
        '--sso-account-id',
        '111111111111',
        '--sso-role-name',
        'ReadOnly',
        '--non-interactive',
      ],
      { env: { HOME: home.home } },
    );
    expect(first.code, first.stderr).toBe(0);
    const second = await runCli(
      [
        'configure',
        '--profile',
        'dev',
        '--flow',
        'sso',
        '--sso-session',
        'newcorp',
        '--sso-account-id',
        '222222222222',
        '--sso-role-name',
        'Developer',
        '--non-interactive',
      ],
      { env: { HOME: home.home } },
    );
    expect(second.code, second.stderr).toBe(0);
    const text = await readFile(home.awsConfigFile, 'utf8');
    expect(text.startsWith(original)).toBe(true);
    expect(text).toContain(
      `[sso-session newcorp]\nsso_start_url = ${START_URL}\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n`,
    );
    expect(text).toMatch(
      /\[profile prod-ro\][^[]*sso_session = newcorp\nsso_account_id = 111111111111\nsso_role_name = ReadOnly/,
    );
    expect(text).toMatch(/\[profile dev\][^[]*sso_account_id = 222222222222/);
    expect(text).not.toContain('credential_process');
    expect(text.match(/\[sso-session newcorp\]/g)).toHaveLength(1);

    const missing = await runCli(
      ['configure', '--profile', 'x', '--flow', 'sso', '--sso-session', 'other', '--non-interactive'],
      { env: { HOME: home.home } },
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--sso-start-url');
  });
});
