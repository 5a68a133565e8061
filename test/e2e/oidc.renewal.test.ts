import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { getCallerIdentity } from '../support/aws/sdkCall.js';
import { type StsEndpoint, startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { makeTempHome, runCli, type TempHome } from '../support/cli/runCli.js';
import { OIDC_AUTH_URL, spawnCli } from '../support/cli/spawnCli.js';
import { oidcRenewableProfile, writeAwsConfig } from '../support/harness/builders.js';
import { describeWith } from '../support/harness/component.js';
import { launchOidcBrowser, type OidcBrowser } from '../support/idp/oidcBrowser.js';
import { type OidcProviderOptions, startOidcProvider, type TestOidcProvider } from '../support/idp/oidcProvider.js';

/**
 * OpenID Connect Core 12.2 lets an IdP answer a refresh-token grant without a new ID token. A real
 * oidc-provider configured that way (its own refresh answer, minus id_token), three ways: opaque
 * access tokens (renewal needs a person, and fedlogin says exactly why), JWT access tokens for the
 * client ID (renewal stays silent: the access token goes to STS, which verifies it like AWS), and
 * JWT access tokens for another audience (a person again, naming the audience).
 */

const ROLE = 'arn:aws:iam::123456789012:role/dev';

interface CredentialJson {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
}

describeWith(
  ['chromium', 'playwright-core', 'oidc-provider', 'cmd:script'],
  'OIDC renewal when the refresh answer has no ID token',
  () => {
    let browser: OidcBrowser;
    let home: TempHome;
    const stops: (() => Promise<unknown>)[] = [];

    beforeAll(async () => {
      browser = await launchOidcBrowser();
    });
    afterAll(async () => {
      await Promise.all([browser?.close(), ...stops.map((stop) => stop())]);
    });
    beforeEach(async () => {
      home = await makeTempHome();
      return () => home.cleanup();
    });

    /** A provider configured like the IdP described, an STS double trusting it, and a profile `dev`. */
    async function setUp(options: OidcProviderOptions): Promise<{ idp: TestOidcProvider; sts: StsEndpoint }> {
      const idp = await startOidcProvider({ idTokenOnRefresh: false, ...options });
      stops.push(() => idp.close());
      const sts = await startStsEndpoint({
        roles: { [ROLE]: { trust: { issuer: idp.issuer, audiences: [idp.clientId] } } },
      });
      stops.push(() => sts.close());
      // STS's clock an hour behind: every credential set is stale in fedlogin's cache at once, so
      // each credential-process below renews
      sts.setClockSkew(-3600_000);
      await writeAwsConfig(home, oidcRenewableProfile('dev', idp, ROLE));
      return { idp, sts };
    }

    const env = (sts: StsEndpoint) => ({
      HOME: home.home,
      AWS_ENDPOINT_URL_STS: sts.url,
      AWS_REGION: 'us-east-1',
      FEDLOGIN_STORE: 'file',
    });

    /** `fedlogin login --profile dev` at a terminal, the browser signing in as `who`. */
    async function loginAtTerminal(sts: StsEndpoint, who: string) {
      const login = spawnCli(['login', '--profile', 'dev'], { home: home.home, env: env(sts), terminal: true });
      const [, url] = await login.waitForStderr(OIDC_AUTH_URL);
      await browser.signIn(url!, who);
      const result = await login.result;
      expect(result.code, login.stderr()).toBe(0);
      return login.stderr();
    }

    const credentialProcess = (sts: StsEndpoint) =>
      runCli(['credential-process', '--profile', 'dev', '--debug'], { env: env(sts), timeoutMs: 30_000 });

    it('opaque access tokens: credential-process says exactly why a person is needed, keeps the rotated refresh token; login says it before the browser', async () => {
      const { idp, sts } = await setUp({});
      await loginAtTerminal(sts, 'carol');
      const refreshes = idp.grantCount('refresh_token');

      const refused = await credentialProcess(sts);
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stdout).toBe('');
      const line = refused.stderr.split('\n').find((l) => l.startsWith('fedlogin:'));
      expect(line).toBe(
        `fedlogin: Profile dev needs you to sign in: The identity provider at ${idp.issuer} renewed the sign-in but sent no ID token (allowed by OpenID Connect Core 12.2), and its access token is not a JWT that AWS could accept instead; run fedlogin login --profile dev`,
      );
      expect(refused.stderr).not.toContain('no saved sign-in that can be renewed silently');
      expect(idp.grantCount('refresh_token')).toBe(refreshes + 1);

      // The rotated refresh token was saved: oidc-provider rotates them for public clients and
      // revokes the grant when a used one comes back, so a second renewal that the IdP accepts
      // (and answers the same way) proves the new one was kept.
      const again = await credentialProcess(sts);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain('renewed the sign-in but sent no ID token');
      expect(again.stderr).not.toContain('has expired or was revoked');
      expect(idp.grantCount('refresh_token')).toBe(refreshes + 2);

      // login at a terminal: the renewal is tried, then it says why before the browser opens
      const issued = sts.issued.length;
      const stderr = await loginAtTerminal(sts, 'carol');
      const notice = stderr.indexOf('renewed the sign-in but sent no ID token');
      expect(notice, stderr).toBeGreaterThan(-1);
      expect(stderr.slice(notice)).toContain(': signing in again to get one.');
      expect(stderr.search(OIDC_AUTH_URL)).toBeGreaterThan(notice);
      expect(idp.grantCount('refresh_token')).toBe(refreshes + 3);
      expect(sts.issued.length).toBe(issued + 1);
    }, 180_000);

    it('JWT access tokens for the client ID: renewal stays silent, the access token goes to STS', async () => {
      const { idp, sts } = await setUp({ accessTokenFormat: 'jwt' });
      await loginAtTerminal(sts, 'dana');
      let last: CredentialJson | undefined;
      for (let round = 1; round <= 2; round++) {
        // round 1 renews from a stale cache; round 2 too (round 1's credentials were stale at once),
        // with STS's clock back to now so that its credentials can be used below. Round 2 exchanges
        // the access token round 1 kept (valid for an hour): no refresh grant.
        if (round === 2) sts.setClockSkew(0);
        const refreshes = idp.grantCount('refresh_token');
        const issued = sts.issued.length;
        const renewal = await credentialProcess(sts);
        expect(renewal.code, renewal.stderr).toBe(0);
        expect(renewal.stderr).toContain('the IdP renewed the sign-in without an ID token');
        expect(renewal.stderr).toMatch(
          round === 1
            ? /oidc timing: refresh-token renewal took \d+ ms/
            : /using the access token kept from this sign-in's last renewal .* no refresh grant/,
        );
        expect(idp.grantCount('refresh_token')).toBe(refreshes + (round === 1 ? 1 : 0));
        expect(sts.issued.length).toBe(issued + 1);
        const creds = JSON.parse(renewal.stdout) as CredentialJson;
        expect(sts.issued.at(-1)).toMatchObject({
          issuer: idp.issuer,
          audience: idp.clientId,
          subject: 'dana',
          accessKeyId: creds.AccessKeyId,
        });
        last = creds;
      }
      // the last credentials work (issued on STS's own clock, see below)
      const who = await getCallerIdentity(
        { accessKeyId: last!.AccessKeyId, secretAccessKey: last!.SecretAccessKey, sessionToken: last!.SessionToken },
        sts.url,
      );
      expect(who.Arn).toBe('arn:aws:sts::123456789012:assumed-role/dev/dana');
    }, 180_000);

    it('JWT access tokens for another audience: a person is needed, and the audience is named', async () => {
      const { idp, sts } = await setUp({ accessTokenFormat: 'jwt', accessTokenAudience: 'api://default' });
      await loginAtTerminal(sts, 'erik');
      const issued = sts.issued.length;
      const refused = await credentialProcess(sts);
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toContain(
        `renewed the sign-in but sent no ID token (allowed by OpenID Connect Core 12.2), and its access token is for api://default, not for the client ID ${idp.clientId} that the role trusts; run fedlogin login --profile dev`,
      );
      expect(sts.issued.length).toBe(issued);
    }, 180_000);
  },
);
