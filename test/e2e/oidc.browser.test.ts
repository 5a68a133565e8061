import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { type Moto, startMoto } from '../support/aws/moto.js';
import { getCallerIdentity } from '../support/aws/sdkCall.js';
import { type StsEndpoint, startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { makeTempHome, runCli, type TempHome } from '../support/cli/runCli.js';
import { OIDC_AUTH_URL, spawnCli } from '../support/cli/spawnCli.js';
import { oidcRenewableProfile, writeAwsConfig } from '../support/harness/builders.js';
import { describeWith } from '../support/harness/component.js';
import { launchOidcBrowser, type OidcBrowser } from '../support/idp/oidcBrowser.js';
import { DEVICE_CODE_GRANT, startOidcProvider, type TestOidcProvider } from '../support/idp/oidcProvider.js';
import { signInWithOidc } from '../support/idp/oidcSignIn.js';

/**
 * fedlogin oidc against a real oidc-provider on loopback, with headless Chromium playing the
 * person on the provider's own login and consent pages, and the credentials checked by the
 * project's STS double (which verifies the ID token against the provider's JWKS) and by moto.
 */

const ROLE = 'arn:aws:iam::123456789012:role/dev';

interface CredentialJson {
  Version: number;
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: string;
}

function leakScan(text: string, secrets: string[]): void {
  for (const secret of secrets) expect(text).not.toContain(secret);
  expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./);
}

describeWith(
  ['chromium', 'playwright-core', 'oidc-provider', 'cmd:script'],
  'fedlogin oidc in the browser against oidc-provider',
  () => {
    let idp: TestOidcProvider;
    let sts: StsEndpoint;
    let browser: OidcBrowser;
    let home: TempHome;

    beforeAll(async () => {
      [idp, browser] = await Promise.all([startOidcProvider(), launchOidcBrowser()]);
      sts = await startStsEndpoint({ roles: { [ROLE]: { trust: { issuer: idp.issuer, audiences: [idp.clientId] } } } });
    });
    afterAll(async () => {
      await Promise.all([browser?.close(), idp?.close(), sts?.close()]);
    });
    beforeEach(async () => {
      home = await makeTempHome();
      sts.reset();
      sts.setClockSkew(0);
      return () => home.cleanup();
    });

    const env = () => ({
      HOME: home.home,
      AWS_ENDPOINT_URL_STS: sts.url,
      AWS_REGION: 'us-east-1',
      FEDLOGIN_STORE: 'file',
    });

    it('signs in with authorization code + PKCE and prints credentials that STS accepts', async () => {
      const cli = spawnCli(
        ['oidc', '--issuer', idp.issuer, '--client-id', idp.clientId, '--role-arn', ROLE, '--no-browser', '--debug'],
        { home: home.home, env: env() },
      );
      const [, url] = await cli.waitForStderr(OIDC_AUTH_URL);
      const authUrl = new URL(url!);
      expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authUrl.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
      expect(authUrl.searchParams.get('scope')).toBe('openid offline_access');
      expect(authUrl.searchParams.get('state')).toBeTruthy();
      expect(authUrl.searchParams.get('nonce')).toBeTruthy();

      const page = await browser.signIn(url!, 'alice');
      expect(page).toContain('Signed in to fedlogin');
      const result = await cli.result;
      expect(result.stderr).toContain('oidc timing: callback received');
      expect(result.code, result.stderr).toBe(0);
      const creds = JSON.parse(result.stdout) as CredentialJson;
      expect(creds.Version).toBe(1);
      const who = await getCallerIdentity(
        { accessKeyId: creds.AccessKeyId, secretAccessKey: creds.SecretAccessKey, sessionToken: creds.SessionToken },
        sts.url,
      );
      expect(who.Arn).toBe('arn:aws:sts::123456789012:assumed-role/dev/alice');
      expect(sts.issued[0]).toMatchObject({
        issuer: idp.issuer,
        audience: idp.clientId,
        subject: 'alice',
        action: 'AssumeRoleWithWebIdentity',
      });
      leakScan(result.stderr, [creds.SecretAccessKey, creds.SessionToken]);
    });

    it('signs in with the device flow, the browser approving the code on the provider', async () => {
      const before = idp.grantCount(DEVICE_CODE_GRANT);
      const cli = spawnCli(
        ['oidc', '--device', '--issuer', idp.issuer, '--client-id', idp.clientId, '--role-arn', ROLE],
        { home: home.home, env: env() },
      );
      const [, verificationUri] = await cli.waitForStderr(/open (http:\/\/127\.0\.0\.1:\d+\/device)\s/);
      const [, userCode] = await cli.waitForStderr(/enter the code:\s+([A-Z]{4}-[A-Z]{4})/);
      const page = await browser.approveDevice(verificationUri!, 'bob', userCode!);
      expect(page).toContain('Sign-in Success');
      const result = await cli.result;
      expect(result.code, result.stderr).toBe(0);
      const creds = JSON.parse(result.stdout) as CredentialJson;
      expect(sts.issued.at(-1)).toMatchObject({ subject: 'bob', roleSessionName: 'bob' });
      expect(idp.grantCount(DEVICE_CODE_GRANT)).toBe(before + 1);
      leakScan(result.stderr, [creds.SecretAccessKey, creds.SessionToken]);
    });

    it('a profile renews silently through the refresh token once the cache is stale', async () => {
      await writeAwsConfig(home, oidcRenewableProfile('dev', idp, ROLE));
      // STS's clock an hour behind for the whole test: every credential set it issues is stale in
      // fedlogin's cache the moment it is written, so each credential-process below must renew.
      sts.setClockSkew(-3600_000);
      // `fedlogin login` at a terminal (a pseudo-terminal): a person is there to sign in.
      const login = spawnCli(['login', '--profile', 'dev'], { home: home.home, env: env(), terminal: true });
      const [, url] = await login.waitForStderr(OIDC_AUTH_URL);
      expect(new URL(url!).searchParams.get('prompt')).toBe('consent');
      await browser.signIn(url!, 'carol');
      const first = await login.result;
      expect(first.code, login.stderr()).toBe(0);
      expect(login.stderr()).toContain('Logged in for profile dev (oidc flow)');
      const refreshesBefore = idp.grantCount('refresh_token');
      const issuedBefore = sts.issued.length;

      // A browser opener that would leave a trace, and a display so one could be opened at all.
      const marker = `${home.home}/browser-opened`;
      const fakeBrowser = `${home.home}/fake-browser.sh`;
      await writeFile(fakeBrowser, `#!/bin/sh\necho "$@" >> '${marker}'\n`, { mode: 0o755 });
      const renewal = await runCli(['credential-process', '--profile', 'dev', '--debug'], {
        env: { ...env(), DISPLAY: ':99', BROWSER: fakeBrowser, XDG_DATA_DIRS: `${home.home}/none` },
        timeoutMs: 30_000,
      });
      expect(renewal.code, renewal.stderr).toBe(0);
      expect(renewal.stderr).toMatch(/oidc timing: refresh-token renewal took \d+ ms/);
      const creds = JSON.parse(renewal.stdout) as CredentialJson;
      expect(idp.grantCount('refresh_token')).toBe(refreshesBefore + 1);
      expect(sts.issued.length).toBe(issuedBefore + 1);
      expect(sts.issued.at(-1)).toMatchObject({ subject: 'carol', accessKeyId: creds.AccessKeyId });
      await expect(import('node:fs/promises').then((fs) => fs.access(marker))).rejects.toThrow();
      leakScan(renewal.stderr, [creds.SecretAccessKey, creds.SessionToken]);

      // The renewed ID token was kept: the next renewal exchanges it without asking the IdP.
      const reuse = await runCli(['credential-process', '--profile', 'dev', '--debug'], {
        env: env(),
        timeoutMs: 30_000,
      });
      expect(reuse.code, reuse.stderr).toBe(0);
      expect(reuse.stderr).toMatch(/oidc timing: renewal with the kept token took \d+ ms/);
      expect(idp.grantCount('refresh_token')).toBe(refreshesBefore + 1);
      expect(sts.issued.length).toBe(issuedBefore + 2);

      // logout drops the kept token. The rotated refresh token was saved: a second renewal works too.
      expect((await runCli(['logout', '--profile', 'dev'], { env: env() })).code).toBe(0);
      const again = await runCli(['credential-process', '--profile', 'dev'], { env: env(), timeoutMs: 30_000 });
      expect(again.code, again.stderr).toBe(0);
      expect(idp.grantCount('refresh_token')).toBe(refreshesBefore + 2);

      // Revoked at the IdP: with no terminal, credential-process says to sign in, at once.
      await idp.revokeRefreshTokens();
      expect((await runCli(['logout', '--profile', 'dev'], { env: env() })).code).toBe(0);
      const refused = await runCli(['credential-process', '--profile', 'dev'], { env: env(), timeoutMs: 30_000 });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('fedlogin login --profile dev');
      expect(refused.stdout).toBe('');
    });
  },
);

describeWith(['chromium', 'playwright-core', 'oidc-provider', 'moto_server'], 'fedlogin oidc with moto', () => {
  let idp: TestOidcProvider;
  let moto: Moto;
  let browser: OidcBrowser;

  beforeAll(async () => {
    [idp, moto, browser] = await Promise.all([startOidcProvider(), startMoto(), launchOidcBrowser()]);
  });
  afterAll(async () => {
    await Promise.all([browser?.close(), idp?.close(), moto?.close()]);
  });

  it('the credentials work for GetCallerIdentity against moto', async () => {
    const home = await makeTempHome();
    try {
      const result = await signInWithOidc(idp, home, {
        browser,
        roleArn: ROLE,
        login: 'dave',
        args: ['--output', 'json'],
        env: { AWS_ENDPOINT_URL_STS: moto.url, AWS_REGION: 'us-east-1', FEDLOGIN_STORE: 'file' },
      });
      const vars = JSON.parse(result.stdout) as Record<string, string>;
      const who = await getCallerIdentity(
        {
          accessKeyId: vars.AWS_ACCESS_KEY_ID!,
          secretAccessKey: vars.AWS_SECRET_ACCESS_KEY!,
          sessionToken: vars.AWS_SESSION_TOKEN,
        },
        moto.url,
      );
      expect(who.Arn).toMatch(/:assumed-role\/dev\/dave$/);
    } finally {
      await home.cleanup();
    }
  });
});
