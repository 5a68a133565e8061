import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { addCognitoIdentity, type CognitoIdentityDouble } from '../support/aws/cognitoIdentity.js';
import { getCallerIdentity } from '../support/aws/sdkCall.js';
import { type StsEndpoint, startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { makeTempHome, runCli, type TempHome } from '../support/cli/runCli.js';
import { OIDC_AUTH_URL, spawnCli } from '../support/cli/spawnCli.js';
import { flowSettings, profileSection, writeAwsConfig } from '../support/harness/builders.js';
import { describeWith } from '../support/harness/component.js';
import { launchOidcBrowser, type OidcBrowser } from '../support/idp/oidcBrowser.js';
import { startOidcProvider, type TestOidcProvider } from '../support/idp/oidcProvider.js';

/**
 * fedlogin cognito with an OIDC login: a real oidc-provider on loopback, headless Chromium playing
 * the person on its login and consent pages, and the Cognito double, which verifies the ID token
 * as Cognito does (iss = the login key, aud = one of the pool's client IDs, signature via JWKS).
 * Then profiles renew through the OIDC refresh token with nobody there, and keep one IdentityId.
 */

const POOL = 'us-east-1:0f3c9d2e-7a1b-4c5d-8e9f-0a1b2c3d4e5f';
const AUTH_ROLE = 'arn:aws:iam::123456789012:role/cognito-user';
const BASIC_ROLE = 'arn:aws:iam::123456789012:role/cognito-basic';

interface CredentialJson {
  Version: number;
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
}

describeWith(
  ['chromium', 'playwright-core', 'oidc-provider'],
  'fedlogin cognito with an OIDC login (oidc-provider + browser)',
  () => {
    let idp: TestOidcProvider;
    let sts: StsEndpoint;
    let cognito: CognitoIdentityDouble;
    let browser: OidcBrowser;
    let home: TempHome;
    /** the issuer's host and path, no scheme: the pool's provider name */
    let loginKey: string;

    beforeAll(async () => {
      [idp, browser] = await Promise.all([startOidcProvider(), launchOidcBrowser()]);
      loginKey = idp.issuer.replace(/^http:\/\//, '').replace(/\/+$/, '');
      sts = await startStsEndpoint({ roles: {} });
      cognito = await addCognitoIdentity(sts, {
        [POOL]: {
          allowUnauthenticated: false,
          providers: { [loginKey]: { clientIds: [idp.clientId] } },
          roles: { authenticated: AUTH_ROLE },
        },
      });
      sts.roles[BASIC_ROLE] = { trust: { issuer: cognito.openIdIssuer.url, audiences: [POOL] } };
    });
    afterAll(async () => {
      await Promise.all([browser?.close(), idp?.close(), cognito?.close(), sts?.close()]);
    });
    beforeEach(async () => {
      home = await makeTempHome();
      sts.reset();
      sts.setClockSkew(0);
      return () => home.cleanup();
    });

    const env = () => ({
      HOME: home.home,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY: sts.url,
      AWS_ENDPOINT_URL_STS: sts.url,
      FEDLOGIN_STORE: 'file',
    });
    const leakScan = (text: string) => {
      for (const secret of sts.secrets()) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./);
    };

    it('signs in at the IdP, logs in to the pool with the ID token, then renews through the refresh token', async () => {
      const cli = spawnCli(
        [
          'cognito',
          '--identity-pool-id',
          POOL,
          '--issuer',
          idp.issuer,
          '--client-id',
          idp.clientId,
          '--prompt',
          'consent',
          '--no-browser',
        ],
        { home: home.home, env: env() },
      );
      const [, url] = await cli.waitForStderr(OIDC_AUTH_URL);
      expect(new URL(url!).searchParams.get('scope')).toBe('openid offline_access');
      const page = await browser.signIn(url!, 'erin');
      expect(page).toContain('Signed in to fedlogin');
      const first = await cli.result;
      expect(first.code, first.stderr).toBe(0);
      const creds = JSON.parse(first.stdout) as CredentialJson;
      expect(creds.Version).toBe(1);
      const who = await getCallerIdentity(
        { accessKeyId: creds.AccessKeyId, secretAccessKey: creds.SecretAccessKey, sessionToken: creds.SessionToken },
        sts.url,
      );
      expect(who.Arn).toBe('arn:aws:sts::123456789012:assumed-role/cognito-user/CognitoIdentityCredentials');
      expect(sts.count('GetId')).toBe(1);
      expect(sts.count('GetCredentialsForIdentity')).toBe(1);
      const identity = [...cognito.identities.entries()].find(([, v]) => v.logins.includes(`${loginKey}|erin`));
      expect(identity, 'the identity belongs to the OIDC user under the issuer key').toBeDefined();
      leakScan(first.stderr);

      const signIn = { pool: POOL, issuer: idp.issuer, clientId: idp.clientId };
      await writeAwsConfig(
        home,
        profileSection(
          'app',
          { ...flowSettings.cognito(signIn), fedlogin_prompt: 'consent' },
          { credentialProcess: 'installed' },
        ),
        profileSection('app-basic', flowSettings.cognito({ ...signIn, basicRoleArn: BASIC_ROLE })),
      );
      // The double's clock an hour behind from here on: every credential set it issues is stale in
      // fedlogin's cache the moment it is written, so each credential-process below must renew.
      sts.setClockSkew(-3600_000);
      const refreshesBefore = idp.grantCount('refresh_token');
      const authCodesBefore = idp.grantCount('authorization_code');

      // No terminal, no browser: the refresh token renews, and the remembered IdentityId is reused.
      const renewal = await runCli(['credential-process', '--profile', 'app', '--debug'], {
        env: env(),
        timeoutMs: 30_000,
      });
      expect(renewal.code, renewal.stderr).toBe(0);
      expect(renewal.stderr).toMatch(/oidc timing: refresh-token renewal took \d+ ms/);
      const renewed = JSON.parse(renewal.stdout) as CredentialJson;
      expect(renewed.AccessKeyId).not.toBe(creds.AccessKeyId);
      expect(idp.grantCount('refresh_token')).toBe(refreshesBefore + 1);
      expect(idp.grantCount('authorization_code')).toBe(authCodesBefore);
      expect(sts.count('GetId')).toBe(1);
      expect(sts.count('GetCredentialsForIdentity')).toBe(2);
      leakScan(renewal.stderr);

      // The basic flow with the same sign-in: the ID token the renewal above kept serves it too,
      // without another refresh grant.
      const basic = await runCli(['credential-process', '--profile', 'app-basic'], { env: env(), timeoutMs: 30_000 });
      expect(basic.code, basic.stderr).toBe(0);
      expect(idp.grantCount('refresh_token')).toBe(refreshesBefore + 1);
      expect(sts.count('GetId')).toBe(1);
      expect(sts.count('GetOpenIdToken')).toBe(1);
      expect(sts.issued.at(-1)).toMatchObject({
        action: 'AssumeRoleWithWebIdentity',
        roleArn: BASIC_ROLE,
        audience: POOL,
        subject: identity![0],
      });
      leakScan(basic.stderr);

      // Revoked at the IdP (and the kept ID token dropped by logout): with no terminal,
      // credential-process says how to sign in, at once.
      await idp.revokeRefreshTokens();
      const logout = await runCli(['logout', '--profile', 'app'], { env: env() });
      expect(logout.stderr).toContain('the ID token kept from the last OIDC renewal');
      const refused = await runCli(['credential-process', '--profile', 'app'], { env: env(), timeoutMs: 30_000 });
      expect(refused.code).toBe(2);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toContain('Profile app needs you to sign in: run fedlogin login --profile app');
      expect(sts.count('GetCredentialsForIdentity')).toBe(2);
    });

    it('a renewal without an ID token (OIDC Core 12.2) says the pool needs one, even with a JWT access token', async () => {
      const quirky = await startOidcProvider({ idTokenOnRefresh: false, accessTokenFormat: 'jwt' });
      try {
        const pool = 'us-east-1:1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d';
        const key = quirky.issuer.replace(/^http:\/\//, '');
        cognito.pools[pool] = {
          allowUnauthenticated: false,
          providers: { [key]: { clientIds: [quirky.clientId] } },
          roles: { authenticated: AUTH_ROLE },
        };
        const cli = spawnCli(
          ['cognito', '--identity-pool-id', pool, '--issuer', quirky.issuer, '--client-id', quirky.clientId].concat([
            '--prompt',
            'consent',
            '--no-browser',
          ]),
          { home: home.home, env: env() },
        );
        const [, url] = await cli.waitForStderr(OIDC_AUTH_URL);
        await browser.signIn(url!, 'fay');
        expect((await cli.result).code, cli.stderr()).toBe(0);
        await writeAwsConfig(
          home,
          profileSection(
            'app',
            {
              ...flowSettings.cognito({ pool, issuer: quirky.issuer, clientId: quirky.clientId }),
              fedlogin_prompt: 'consent',
            },
            { credentialProcess: 'installed' },
          ),
        );
        const calls = sts.count('GetCredentialsForIdentity');
        const refreshes = quirky.grantCount('refresh_token');
        const refused = await runCli(['credential-process', '--profile', 'app'], { env: env(), timeoutMs: 30_000 });
        expect(refused.code, refused.stderr).toBe(2);
        expect(refused.stderr).toContain(
          'renewed the sign-in but sent no ID token (allowed by OpenID Connect Core 12.2), and the Cognito identity pool needs one; run fedlogin login --profile app',
        );
        expect(quirky.grantCount('refresh_token')).toBe(refreshes + 1);
        expect(sts.count('GetCredentialsForIdentity')).toBe(calls);
      } finally {
        await quirky.close();
      }
    }, 120_000);

    it('refuses --issuer together with --guest before anyone is asked to sign in', async () => {
      const result = await runCli(
        ['cognito', '--identity-pool-id', POOL, '--guest', '--issuer', idp.issuer, '--client-id', idp.clientId],
        {
          env: env(),
          timeoutMs: 30_000,
        },
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^fedlogin: .*guest access and for logins; choose one\./);
      expect(sts.count('GetId')).toBe(0);
    });
  },
);
