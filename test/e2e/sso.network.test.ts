import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { type SsoEndpoint, startSsoEndpoint } from '../support/aws/ssoEndpoint.js';
import { makeTempHome, runCli, type TempHome } from '../support/cli/runCli.js';
import { awsConfigText } from '../support/harness/builders.js';
import { describeWith } from '../support/harness/component.js';
import { NETWORK_LAB_COMPONENTS, networkLabForSuite } from '../support/network/lab.js';
import { deviceLogin, SESSION, sampleAccounts, sessionSection, ssoProfile } from './sso.support.js';

/**
 * IAM Identity Center behind a corporate proxy (Debian squid) whose TLS stand-in presents a
 * private CA's certificate for the real names oidc.eu-west-1.amazonaws.com and
 * portal.sso.eu-west-1.amazonaws.com (test/support/network). No AWS_ENDPOINT_URL_SSO* and no
 * AWS_CA_BUNDLE: fedlogin builds the regional URLs itself, only squid can resolve them, and only the
 * profile's ca_bundle makes the certificate trusted, so a success proves both reached the SSO
 * clients; squid's access.log proves each CONNECT.
 */

const OIDC_HOST = 'oidc.eu-west-1.amazonaws.com';
const PORTAL_HOST = 'portal.sso.eu-west-1.amazonaws.com';

describeWith(
  [...NETWORK_LAB_COMPONENTS],
  "IAM Identity Center through a proxy, trusting the profile's ca_bundle",
  () => {
    const lab = networkLabForSuite({ names: [OIDC_HOST, PORTAL_HOST] });
    let sso: SsoEndpoint;
    let home: TempHome;

    beforeAll(async () => {
      sso = await startSsoEndpoint({ accounts: sampleAccounts() });
      lab.route(OIDC_HOST, sso.oidcUrl);
      lab.route(PORTAL_HOST, sso.portalUrl);
    });
    afterAll(async () => {
      await sso?.close();
    });
    beforeEach(async () => {
      home = await makeTempHome();
      sso.reset();
      return () => home.cleanup();
    });

    /** The lab's proxy; the CA only through the profile (AWS_CA_BUNDLE unset); never an endpoint override. */
    const env = () => ({ ...lab.env({ ca: false }), FEDLOGIN_STORE: 'file' });

    it('sso login, GetRoleCredentials and sso logout all go through the proxy and trust the profile ca_bundle', async () => {
      await writeFile(
        home.awsConfigFile,
        awsConfigText(sessionSection(), ssoProfile('ro', undefined, undefined, { ca_bundle: lab.caFile })),
      );
      const before = { oidc: (await lab.connects(OIDC_HOST)).length, portal: (await lab.connects(PORTAL_HOST)).length };

      await deviceLogin(home.home, env(), ['--profile', 'ro']);
      expect(sso.count('RegisterClient')).toBe(1);
      expect((await lab.connects(OIDC_HOST)).length).toBeGreaterThan(before.oidc);

      const creds = await runCli(['credential-process', '--profile', 'ro'], { env: { HOME: home.home, ...env() } });
      expect(creds.code, creds.stderr).toBe(0);
      expect(JSON.parse(creds.stdout).AccessKeyId).toBe(sso.issuedRoleCredentials.at(-1)!.accessKeyId);
      expect(sso.count('GetRoleCredentials')).toBe(1);
      const portalConnects = (await lab.connects(PORTAL_HOST)).length;
      expect(portalConnects).toBeGreaterThan(before.portal);

      // no --profile: the session's own profiles name the bundle
      const logout = await runCli(['sso', 'logout', '--sso-session', SESSION], { env: { HOME: home.home, ...env() } });
      expect(logout.code, logout.stderr).toBe(0);
      expect(logout.stderr).toContain('signed out at the portal');
      expect(sso.count('Logout')).toBe(1);
      expect((await lab.connects(PORTAL_HOST)).length).toBeGreaterThan(portalConnects);
    });

    it('without the ca_bundle the same sign-in fails on the certificate, in one line naming the setting', async () => {
      await writeFile(home.awsConfigFile, awsConfigText(sessionSection(), ssoProfile('ro')));
      const result = await runCli(['sso', 'login', '--profile', 'ro', '--device'], {
        env: { HOME: home.home, ...env(), AWS_MAX_ATTEMPTS: '1' },
        timeoutMs: 60_000,
      });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`^fedlogin: The TLS certificate of ${OIDC_HOST} \\(through the proxy `));
      expect(result.stderr).toMatch(/issuer is not a trusted certificate authority/);
      expect(result.stderr).toContain('AWS_CA_BUNDLE');
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(sso.count('RegisterClient'), 'nothing reached the stand-in').toBe(0);
    });
  },
);
