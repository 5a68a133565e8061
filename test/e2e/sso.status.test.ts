import { readFile, stat, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SsoEndpoint, startSsoEndpoint } from '../support/aws/ssoEndpoint.js';
import { makeTempHome, runCli, type TempHome } from '../support/cli/runCli.js';
import { awsConfigText, profileSection } from '../support/harness/builders.js';
import { registerSecret } from '../support/harness/leakScan.js';
import { forSuite } from '../support/harness/suite.js';
import {
  deviceLogin as deviceLoginAt,
  readTokenCache,
  SESSION,
  START_URL,
  sampleAccounts,
  sessionSection,
  sha1,
  ssoProfile,
  tokenCacheFile,
} from './sso.support.js';

/**
 * IAM Identity Center profiles in `status` and `logout`, `sso logout` forgetting the role
 * credentials fedlogin cached, and the cache key following the session's start URL and region: the
 * built CLI against the SSO stand-in. What is removed is proved twice: by status, and by the
 * portal's GetRoleCredentials counter when a later credential-process has to ask again.
 */

const LEGACY_URL = 'https://example-legacy.awsapps.com/start';
const LEGACY_CACHE = `${sha1(LEGACY_URL)}.json`;

const sso = forSuite(
  'the IAM Identity Center stand-in',
  () => startSsoEndpoint({ accounts: sampleAccounts() }),
  (s: SsoEndpoint) => s.close(),
);

let home: TempHome;
const env = () => ({ HOME: home.home, FEDLOGIN_STORE: 'file', ...sso.env });
const cli = (args: string[]) => runCli(args, { env: env(), timeoutMs: 60_000 });
const deviceLogin = (args?: string[]) => deviceLoginAt(home.home, { FEDLOGIN_STORE: 'file', ...sso.env }, args);

/** A legacy profile (sso_start_url in the profile, no session) and a chained profile off `ro`. */
const legacyProfile = profileSection('old', {
  sso_start_url: LEGACY_URL,
  sso_region: 'us-east-1',
  sso_account_id: '222222222222',
  sso_role_name: 'Developer',
});
const chainedProfile = profileSection('app', {
  role_arn: 'arn:aws:iam::333333333333:role/app',
  source_profile: 'ro',
});

async function writeConfig(...sections: string[][]) {
  await writeFile(home.awsConfigFile, awsConfigText(...sections));
}

beforeEach(async () => {
  home = await makeTempHome();
  sso.reset();
  sso.setApproval('auto');
  await writeConfig(
    sessionSection(),
    ssoProfile('ro'),
    ssoProfile('dev', '222222222222', 'Developer'),
    chainedProfile,
    legacyProfile,
  );
});
afterEach(async () => {
  await home.cleanup();
});

/** credential-process for a profile: its access key id (exit 0 asserted). */
async function credentials(profile: string): Promise<{ AccessKeyId: string; Expiration: string }> {
  const result = await cli(['credential-process', '--profile', profile]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

interface StatusJson {
  profiles: { profile: string; flow: string | null; role: string | null; state: string; expiration: string | null }[];
  signIns: {
    signIn: string;
    sso?: {
      session: string | null;
      startUrl: string | null;
      region: string | null;
      token: { state: string; expiration: string | null; renewable: boolean; file: string } | null;
      problem?: string;
    };
    profiles: { profile: string; expiration: string | null; chained: { profile: string }[] }[];
  }[];
}

async function statusJson(): Promise<StatusJson> {
  const result = await cli(['status', '--json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as StatusJson;
}

const stateOf = (status: StatusJson, profile: string) => status.profiles.find((p) => p.profile === profile)?.state;

/** A legacy token as `aws sso login` leaves it without a refresh token (an old CLI, or a revoked one). */
async function writeLegacyToken(expiresAt: string) {
  const accessToken = `legacy-access-token-EXAMPLE-${sha1(home.home).slice(0, 12)}`;
  registerSecret(accessToken, 'token', 'a legacy SSO access token written by the test');
  await writeFile(
    tokenCacheFile(home.home, LEGACY_CACHE),
    JSON.stringify({ startUrl: LEGACY_URL, region: 'us-east-1', accessToken, expiresAt }),
    { mode: 0o600 },
  );
}

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

describe('fedlogin status: IAM Identity Center sign-ins', () => {
  it('--json: the session with its portal, region and token (expiry, renewable), its profiles and their cached role credentials', async () => {
    await deviceLogin();
    await credentials('ro');
    const issued = new Date(sso.issuedRoleCredentials.at(-1)!.expiration).toISOString();
    await writeLegacyToken('2099-01-01T00:00:00Z');
    const token = await readTokenCache(home.home);

    const status = await statusJson();
    const corp = status.signIns.find((s) => s.signIn === `sso-session ${SESSION}`);
    expect(corp?.sso).toEqual({
      session: SESSION,
      startUrl: START_URL,
      region: 'eu-west-1',
      token: {
        state: 'valid',
        expiration: new Date(token.expiresAt!).toISOString(),
        renewable: true,
        file: tokenCacheFile(home.home),
      },
    });
    expect(corp?.profiles.map((p) => p.profile)).toEqual(['ro', 'dev']);
    expect(corp?.profiles[0]).toMatchObject({ expiration: issued, chained: [{ profile: 'app' }] });
    expect(corp?.profiles[1]?.expiration).toBeNull();
    expect(status.profiles.find((p) => p.profile === 'ro')).toMatchObject({
      flow: 'sso',
      role: 'ReadOnly in 111111111111',
      state: 'valid',
    });
    expect(stateOf(status, 'dev')).toBe('none');

    // a legacy profile is a sign-in of its own, keyed by its start URL; no refresh token: not renewable
    const legacy = status.signIns.find((s) => s.signIn === `sso ${LEGACY_URL}`);
    expect(legacy?.sso).toMatchObject({
      session: null,
      startUrl: LEGACY_URL,
      region: 'us-east-1',
      token: { state: 'valid', expiration: '2099-01-01T00:00:00.000Z', renewable: false },
    });
    expect(legacy?.profiles.map((p) => p.profile)).toEqual(['old']);
  });

  it('the table: the session row carries the token state and expiry, its profiles under it', async () => {
    await deviceLogin();
    await credentials('ro');
    const issued = new Date(sso.issuedRoleCredentials.at(-1)!.expiration).toISOString();
    const cache = await readTokenCache(home.home);
    cache.expiresAt = '2020-01-01T00:00:00Z'; // expired, still renewable with its refresh token
    await writeFile(tokenCacheFile(home.home), JSON.stringify(cache));

    const result = await cli(['status']);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    const row = lines.findIndex((l) => l.startsWith(`sso-session ${SESSION} `));
    expect(lines[row]).toMatch(
      new RegExp(
        `^sso-session corp ${START_URL} \\(eu-west-1\\), renewable\\s+sso\\s+sso-cache\\s+expired\\s+2020-01-01T00:00:00.000Z`,
      ),
    );
    expect(lines[row + 1]).toMatch(
      new RegExp(`^\\s+ro\\s+sso\\s+file\\s+valid\\s+${issued}\\s+ReadOnly in 111111111111`),
    );
    expect(lines[row + 2]).toMatch(/^\s+└─ app\s+chain\s+file\s+none/);
    expect(lines[row + 3]).toMatch(/^\s+dev\s+sso\s+file\s+none/);
    // no token for the legacy start URL
    expect(result.stdout).toMatch(
      new RegExp(`sso ${LEGACY_URL} \\(us-east-1\\), not signed in\\s+sso\\s+sso-cache\\s+none`),
    );
  });

  it('a profile whose [sso-session] is missing is listed with the reason, and status still succeeds', async () => {
    await writeConfig(ssoProfile('ro'));
    const status = await statusJson();
    expect(status.signIns[0]?.sso).toMatchObject({ session: SESSION, token: null });
    expect(status.signIns[0]?.sso?.problem).toContain(`No [sso-session ${SESSION}]`);
  });
});

describe('fedlogin logout and IAM Identity Center', () => {
  it('--all forgets the role credentials of every SSO profile and signs out of every session, as aws sso logout', async () => {
    await deviceLogin();
    await credentials('ro');
    await credentials('dev');
    await writeLegacyToken('2099-01-01T00:00:00Z');
    // a token cache file of a session this config does not name: not fedlogin's to remove
    const foreign = tokenCacheFile(home.home, `${sha1('someone-else')}.json`);
    await writeFile(
      foreign,
      JSON.stringify({ startUrl: 'https://x.awsapps.com/start', expiresAt: '2099-01-01T00:00:00Z' }),
    );
    expect(sso.count('GetRoleCredentials')).toBe(2);

    const result = await cli(['logout', '--all']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('ro: removed cached credentials (file store)');
    expect(result.stderr).toContain('dev: removed cached credentials (file store)');
    expect(result.stderr).toContain(
      `sso-session ${SESSION}: signed out at the portal; removed ${tokenCacheFile(home.home)}`,
    );
    expect(sso.count('Logout')).toBe(2); // corp's token, and the legacy one (the stand-in does not know it)
    expect(await exists(tokenCacheFile(home.home))).toBe(false);
    expect(await exists(tokenCacheFile(home.home, LEGACY_CACHE))).toBe(false);
    expect(await exists(foreign)).toBe(true);
    const status = await statusJson();
    expect(stateOf(status, 'ro')).toBe('none');
    expect(stateOf(status, 'dev')).toBe('none');

    // signed in again, the role credentials come from the portal, not from a cache logout missed
    await deviceLogin();
    await credentials('ro');
    expect(sso.count('GetRoleCredentials')).toBe(3);
  });

  it('--profile P of an SSO profile forgets P only; the session stays signed in and renews P without a sign-in', async () => {
    await deviceLogin();
    const before = await credentials('ro');
    await credentials('dev');
    sso.reset();

    const result = await cli(['logout', '--profile', 'ro']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('ro: removed cached credentials (file store)');
    expect(result.stderr).toContain(`fedlogin sso logout --sso-session ${SESSION}`);
    expect(sso.count('Logout')).toBe(0);
    expect(await exists(tokenCacheFile(home.home))).toBe(true);
    const status = await statusJson();
    expect(stateOf(status, 'ro')).toBe('none');
    expect(stateOf(status, 'dev')).toBe('valid');

    const after = await credentials('ro');
    expect(after.AccessKeyId).not.toBe(before.AccessKeyId);
    expect(sso.count('GetRoleCredentials')).toBe(1);
    expect(sso.count('CreateToken')).toBe(0);
  });
});

describe('fedlogin sso logout', () => {
  it("forgets the cached role credentials of the session's profiles (chained ones too), not another session's", async () => {
    await deviceLogin();
    await credentials('ro');
    await credentials('dev');
    await deviceLogin(['--profile', 'old']);
    await credentials('old');
    expect(sso.count('GetRoleCredentials')).toBe(3);

    const result = await cli(['sso', 'logout', '--sso-session', SESSION]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      `sso-session ${SESSION}: signed out at the portal; removed ${tokenCacheFile(home.home)}; forgot the cached role credentials of ro, dev.`,
    );
    const status = await statusJson();
    expect(stateOf(status, 'ro')).toBe('none');
    expect(stateOf(status, 'dev')).toBe('none');
    expect(stateOf(status, 'old')).toBe('valid');
    expect(await exists(tokenCacheFile(home.home, LEGACY_CACHE))).toBe(true);

    // without the session, no role credentials at all: a cache hit would have answered here
    const refused = await cli(['credential-process', '--profile', 'ro']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`fedlogin sso login --sso-session ${SESSION}`);
    await deviceLogin();
    await credentials('ro');
    expect(sso.count('GetRoleCredentials')).toBe(4);
  });

  it('the legacy profile: --profile names its start URL; only its own credentials go', async () => {
    await deviceLogin();
    await credentials('ro');
    await deviceLogin(['--profile', 'old']);
    await credentials('old');
    const result = await cli(['sso', 'logout', '--profile', 'old']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('forgot the cached role credentials of old.');
    const status = await statusJson();
    expect(stateOf(status, 'old')).toBe('none');
    expect(stateOf(status, 'ro')).toBe('valid');
  });
});

describe("the cache key follows the session's start URL and region", () => {
  it('a new start URL: no stale role credentials; the new portal is asked once signed in there', async () => {
    await deviceLogin();
    const first = await credentials('ro');
    const config = await readFile(home.awsConfigFile, 'utf8');
    const moved = 'https://example-corp-new.awsapps.com/start';
    await writeFile(home.awsConfigFile, config.replace(`sso_start_url = ${START_URL}`, `sso_start_url = ${moved}`));

    // the cached token is for the old portal and the cached role credentials were got with it
    const refused = await cli(['credential-process', '--profile', 'ro']);
    expect(refused.code, refused.stdout).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(`fedlogin sso login --sso-session ${SESSION}`);
    expect(sso.count('GetRoleCredentials')).toBe(1);
    expect(sso.grants.refresh_token ?? 0, "the old portal's refresh token is not used for the new one").toBe(0);

    await deviceLogin();
    expect((await readTokenCache(home.home)).startUrl).toBe(moved);
    const second = await credentials('ro');
    expect(second.AccessKeyId).not.toBe(first.AccessKeyId);
    expect(sso.count('GetRoleCredentials')).toBe(2);
  });

  it('a new sso_region: the role credentials are asked for again with the same token', async () => {
    await deviceLogin();
    const first = await credentials('ro');
    sso.reset();
    const config = await readFile(home.awsConfigFile, 'utf8');
    await writeFile(home.awsConfigFile, config.replace('sso_region = eu-west-1', 'sso_region = eu-central-1'));
    const second = await credentials('ro');
    expect(second.AccessKeyId).not.toBe(first.AccessKeyId);
    expect(sso.count('GetRoleCredentials')).toBe(1);
    expect(sso.count('CreateToken')).toBe(0);
    // and the key is stable: the next call is a cache hit
    await credentials('ro');
    expect(sso.count('GetRoleCredentials')).toBe(1);
  });
});
