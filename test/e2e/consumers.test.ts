import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { type Moto, startMoto } from '../support/aws/moto.js';
import { hermeticEnv, makeTempHome, runCli, type TempHome } from '../support/cli/runCli.js';
import { OIDC_AUTH_URL, spawnCli } from '../support/cli/spawnCli.js';
import { dropKeptOidcTokens } from '../support/cli/storeEntries.js';
import { checkoutCredentialProcess, profileSection, writeAwsConfig } from '../support/harness/builders.js';
import { describeWith, itWith } from '../support/harness/component.js';
import { recordReliability } from '../support/harness/reliability.js';
import { startTokenIssuer, type TokenIssuer } from '../support/idp/tokenIssuer.js';
import {
  type ActionCountingProxy,
  type Consumer,
  consumerMatrix,
  type Identity,
  startActionCountingProxy,
} from './consumers.support.js';

/**
 * The consumer matrix: every AWS SDK and CLI on the machine runs fedlogin as the
 * credential_process of a profile, for every login flow that can renew without a person, and calls
 * GetCallerIdentity on moto. One moto behind a counting proxy; one HOME per flow, with one profile
 * per consumer (the profile name is part of fedlogin's cache key), so each consumer's first call is
 * a cache miss and its credential_process really renews through the flow: the token file
 * (web-identity), Cognito guest access, the refresh token saved by one browser sign-in (oidc), the
 * IdP session in fedlogin's browser profile (saml). The proxy proves one exchange per pair.
 */

const ROLE = 'arn:aws:iam::123456789012:role/dev';
const SAML_PROVIDER = 'arn:aws:iam::123456789012:saml-provider/test-idp';

let moto: Moto;
let proxy: ActionCountingProxy;
let scratch: string;
const matrix = consumerMatrix({ endpoint: () => proxy.url, buildDir: () => scratch });
const { consumers } = matrix;

/** A token for the web-identity flows, in the flow's HOME. */
async function writeTokenFile(home: TempHome, issuer: TokenIssuer): Promise<string> {
  const tokenFile = path.join(home.home, 'token');
  const token = await issuer.sign({ sub: 'system:serviceaccount:dev:app', aud: 'sts.amazonaws.com' });
  await writeFile(tokenFile, token, { mode: 0o600 });
  return tokenFile;
}

const profileName = (flow: string, consumer: Consumer) => `${flow}-${consumer.id}`;

/** One profile per consumer, each running fedlogin as its credential_process, plus extra sections. */
async function writeProfiles(
  home: TempHome,
  flow: string,
  settings: (consumer: Consumer) => string[],
  extra: string[] = [],
): Promise<void> {
  const sections = consumers.map((consumer) => {
    const name = profileName(flow, consumer);
    return [...profileSection(name, { region: 'us-east-1' }, { credentialProcess: 'checkout' }), ...settings(consumer)];
  });
  await writeAwsConfig(
    home,
    profileSection('default', { region: 'us-east-1' }),
    ...(extra.length > 0 ? [extra] : []),
    ...sections,
  );
}

/** The environment a consumer runs in: the flow's HOME, fedlogin's exchanges pointed at the proxy. */
function consumerEnv(home: TempHome): Record<string, string> {
  return hermeticEnv(home.home, {
    ...home.env,
    AWS_ENDPOINT_URL_STS: proxy.url,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY: proxy.url,
    AWS_DEFAULT_REGION: 'us-east-1',
    FEDLOGIN_STORE: 'file',
    FEDLOGIN_BROWSER_LOOPBACK_ONLY: '1',
  });
}

interface FlowCase {
  flow: string;
  /** the operation fedlogin's renewal sends (counted at the proxy) */
  exchange: string;
  home(): TempHome;
  expectIdentity(identity: Identity, consumer: Consumer): void;
  /** flow-specific evidence of a renewal without a person; runs around the consumer */
  around?(consumer: Consumer): { after(): void } | Promise<{ after(): void }>;
  /** the fedlogin profile the consumer's credential_process names, when not its own */
  fedloginProfile?(consumer: Consumer): string;
}

/** One test per consumer: one renewal through the flow inside the consumer's credential_process. */
function consumerTests(c: FlowCase): void {
  for (const consumer of consumers) {
    itWith(
      consumer.components,
      `${consumer.title} x ${c.flow}`,
      async () => {
        const home = c.home();
        const env = consumerEnv(home);
        const profile = profileName(c.flow, consumer);
        const before = { exchange: proxy.count(c.exchange), callerIdentity: proxy.count('GetCallerIdentity') };
        const evidence = await c.around?.(consumer);
        const identity = await consumer.run(profile, env);
        c.expectIdentity(identity, consumer);
        expect(identity.Account).toBe('123456789012');
        // fedlogin renewed exactly once, inside the consumer, and the consumer called moto, not AWS
        expect(proxy.count(c.exchange) - before.exchange).toBe(1);
        expect(proxy.count('GetCallerIdentity') - before.callerIdentity).toBe(1);
        evidence?.after();
        // What the consumer made of fedlogin's JSON is what fedlogin printed (now a cache hit).
        if (identity.AccessKeyId !== undefined) {
          const printed = await runCli(['credential-process', '--profile', c.fedloginProfile?.(consumer) ?? profile], {
            env,
          });
          expect(printed.code, printed.stderr).toBe(0);
          const json = JSON.parse(printed.stdout) as { AccessKeyId: string; Expiration: string };
          expect(identity.AccessKeyId).toBe(json.AccessKeyId);
          // every consumer that reports an expiry must have parsed one (null: it thinks they never expire)
          expect(identity.Expiration, `${consumer.id} saw no expiry`).toBeTruthy();
          expect(Date.parse(identity.Expiration!)).toBe(Date.parse(json.Expiration));
          expect(proxy.count(c.exchange) - before.exchange).toBe(1);
        }
        recordReliability('consumers', { consumers: 1, flows: 1 }, `${consumer.id} x ${c.flow}`);
      },
      consumer.timeoutMs,
    );
  }
}

describeWith(
  ['moto_server'],
  'AWS SDKs and CLIs run fedlogin as credential_process, for every flow, against moto',
  () => {
    beforeAll(async () => {
      scratch = await mkdtemp(path.join(tmpdir(), 'fedlogin-consumers-'));
      moto = await startMoto();
      proxy = await startActionCountingProxy(moto.url);
      // Build the Go consumer while the flows sign in; its test awaits it.
      matrix.prebuildGo();
    });
    afterAll(async () => {
      await matrix.settled(); // a build still running when Go's tests were filtered out
      await proxy?.close();
      await moto?.close();
      if (scratch) await rm(scratch, { recursive: true, force: true });
    });

    describeWith([], 'web-identity (a token file, re-read on every renewal)', () => {
      let home: TempHome;
      let issuer: TokenIssuer;
      beforeAll(async () => {
        [home, issuer] = await Promise.all([makeTempHome(), startTokenIssuer()]);
        const tokenFile = await writeTokenFile(home, issuer);
        await writeProfiles(home, 'web-identity', (consumer) => [
          'fedlogin_flow = web-identity',
          `fedlogin_role_arn = ${ROLE}`,
          `fedlogin_token_file = ${tokenFile}`,
          `fedlogin_role_session_name = ${consumer.id}`,
        ]);
      });
      afterAll(async () => {
        await issuer?.close();
        await home?.cleanup();
      });
      consumerTests({
        flow: 'web-identity',
        exchange: 'AssumeRoleWithWebIdentity',
        home: () => home,
        expectIdentity: (identity, consumer) =>
          expect(identity.Arn).toBe(`arn:aws:sts::123456789012:assumed-role/dev/${consumer.id}`),
      });
    });

    describeWith(
      [],
      'a role chain (role_arn + source_profile over a web-identity profile, resolved by fedlogin)',
      () => {
        let home: TempHome;
        let issuer: TokenIssuer;
        const APP_ROLE = 'arn:aws:iam::123456789012:role/app';
        beforeAll(async () => {
          [home, issuer] = await Promise.all([makeTempHome(), startTokenIssuer()]);
          const tokenFile = await writeTokenFile(home, issuer);
          // The consumer's profile only runs fedlogin for app-ID: were role_arn/source_profile in the
          // consumer's own profile, the AWS tools would resolve the chain themselves.
          await writeAwsConfig(
            home,
            profileSection('default', { region: 'us-east-1' }),
            ...consumers.flatMap((consumer) => [
              profileSection(profileName('chain', consumer), {
                region: 'us-east-1',
                credential_process: checkoutCredentialProcess(`app-${consumer.id}`),
              }),
              profileSection(`app-${consumer.id}`, {
                role_arn: APP_ROLE,
                source_profile: `base-${consumer.id}`,
                external_id: 'consumer-matrix',
                role_session_name: consumer.id,
              }),
              profileSection(`base-${consumer.id}`, {
                fedlogin_flow: 'web-identity',
                fedlogin_role_arn: ROLE,
                fedlogin_token_file: tokenFile,
              }),
            ]),
          );
        });
        afterAll(async () => {
          await issuer?.close();
          await home?.cleanup();
        });
        consumerTests({
          flow: 'chain',
          exchange: 'AssumeRole',
          home: () => home,
          fedloginProfile: (consumer) => `app-${consumer.id}`,
          expectIdentity: (identity, consumer) =>
            expect(identity.Arn).toBe(`arn:aws:sts::123456789012:assumed-role/app/${consumer.id}`),
        });
      },
    );

    describeWith(
      ['npm:@aws-sdk/client-cognito-identity'],
      'cognito (guest access to an identity pool created in moto)',
      () => {
        let home: TempHome;
        beforeAll(async () => {
          home = await makeTempHome();
          const sdk = await import('@aws-sdk/client-cognito-identity');
          const client = new sdk.CognitoIdentityClient({
            region: 'us-east-1',
            endpoint: moto.url,
            credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
            maxAttempts: 1,
          });
          const pool = await client.send(
            new sdk.CreateIdentityPoolCommand({
              IdentityPoolName: 'fedlogin_consumers',
              AllowUnauthenticatedIdentities: true,
            }),
          );
          client.destroy();
          await writeProfiles(home, 'cognito', () => [
            'fedlogin_flow = cognito',
            `fedlogin_identity_pool_id = ${pool.IdentityPoolId!}`,
            'fedlogin_guest = true',
            // moto's Cognito credentials last 90 s, under twice the default 15-minute window (capped by
            // fedlogin_duration, not by the real lifetime), so they would never be served from the cache.
            'fedlogin_refresh_window = 10s',
          ]);
        });
        afterAll(async () => {
          await home?.cleanup();
        });
        consumerTests({
          flow: 'cognito',
          exchange: 'GetCredentialsForIdentity',
          home: () => home,
          // moto's GetCredentialsForIdentity hands out keys it never registers, so its
          // GetCallerIdentity answers with its default identity for them.
          expectIdentity: (identity) => expect(identity.Arn).toBe('arn:aws:sts::123456789012:user/moto'),
        });
      },
    );

    describeWith(
      ['chromium', 'playwright-core', 'oidc-provider', 'cmd:script'],
      'oidc (the refresh token saved by one browser sign-in)',
      () => {
        let home: TempHome;
        let idp: import('../support/idp/oidcProvider.js').TestOidcProvider;
        beforeAll(async () => {
          const [{ startOidcProvider }, { launchOidcBrowser }] = await Promise.all([
            import('../support/idp/oidcProvider.js'),
            import('../support/idp/oidcBrowser.js'),
          ]);
          const [started, browser, made] = await Promise.all([
            startOidcProvider(),
            launchOidcBrowser(),
            makeTempHome(),
          ]);
          idp = started;
          home = made;
          try {
            const oidc = [
              'fedlogin_flow = oidc',
              `fedlogin_issuer = ${idp.issuer}`,
              `fedlogin_client_id = ${idp.clientId}`,
              `fedlogin_role_arn = ${ROLE}`,
              'fedlogin_device = false',
              // oidc-provider issues a refresh token (offline_access) only with prompt=consent
              'fedlogin_prompt = consent',
            ];
            await writeProfiles(home, 'oidc', (consumer) => [...oidc, `fedlogin_role_session_name = ${consumer.id}`], [
              '[profile oidc-login]',
              ...oidc,
              '',
            ]);
            // The one sign-in by a person, at a terminal; every consumer below renews with its refresh token.
            const login = spawnCli(['login', '--profile', 'oidc-login'], {
              home: home.home,
              env: consumerEnv(home),
              terminal: true,
              timeoutMs: 45_000,
            });
            const [, url] = await login.waitForStderr(OIDC_AUTH_URL);
            await browser.signIn(url!, 'carol');
            const result = await login.result;
            if (result.code !== 0) throw new Error(`fedlogin login --profile oidc-login failed: ${login.stderr()}`);
          } finally {
            await browser.close();
          }
        });
        afterAll(async () => {
          await idp?.close();
          await home?.cleanup();
        });
        consumerTests({
          flow: 'oidc',
          exchange: 'AssumeRoleWithWebIdentity',
          home: () => home,
          expectIdentity: (identity, consumer) =>
            expect(identity.Arn).toBe(`arn:aws:sts::123456789012:assumed-role/dev/${consumer.id}`),
          around: () => {
            // the ID token the last consumer's renewal kept would spare this one its refresh grant
            dropKeptOidcTokens(home);
            const refreshes = idp.grantCount('refresh_token');
            const signIns = idp.grantCount('authorization_code');
            return {
              after: () => {
                expect(idp.grantCount('refresh_token') - refreshes).toBe(1);
                expect(idp.grantCount('authorization_code')).toBe(signIns);
              },
            };
          },
        });
      },
    );

    describeWith(
      ['chromium', 'playwright-core', 'samlify'],
      "saml (a silent headless renewal through the IdP session in fedlogin's browser profile)",
      () => {
        let home: TempHome;
        let idp: import('../support/idp/samlIdp.js').SamlIdp;
        beforeAll(async () => {
          const [{ startSamlIdp }, { samlLoginThroughForm, SAML_TEST_BROWSER }] = await Promise.all([
            import('../support/idp/samlIdp.js'),
            import('../support/idp/samlBrowserLogin.js'),
          ]);
          // moto answers 500 to multi-role attributes: one role
          [idp, home] = await Promise.all([startSamlIdp({ roles: [`${ROLE},${SAML_PROVIDER}`] }), makeTempHome()]);
          await writeProfiles(home, 'saml', () => [
            'fedlogin_flow = saml',
            `fedlogin_idp_url = ${idp.ssoUrl}`,
            `fedlogin_role_arn = ${ROLE}`,
            `fedlogin_browser = ${SAML_TEST_BROWSER}`,
          ]);
          // The one sign-in by a person, through the IdP's form in fedlogin's own browser.
          const login = await samlLoginThroughForm(home, idp, proxy.url);
          if (login.code !== 0) throw new Error(`fedlogin saml (the first sign-in) failed: ${login.stderr}`);
        });
        afterAll(async () => {
          await idp?.close();
          await home?.cleanup();
        });
        consumerTests({
          flow: 'saml',
          exchange: 'AssumeRoleWithSAML',
          home: () => home,
          expectIdentity: (identity) => expect(identity.Arn).toBe('arn:aws:sts::123456789012:assumed-role/dev/alice'),
          around: async () => {
            // each consumer's renewal goes to the IdP, not to the assertion the last one kept
            const { forgetKeptAssertion } = await import('../support/idp/samlBrowserLogin.js');
            await forgetKeptAssertion(home, idp.ssoUrl);
            const stats = { ...idp.stats };
            return {
              after: () => {
                expect(idp.stats.formsShown).toBe(stats.formsShown);
                expect(idp.stats.logins).toBe(stats.logins);
                expect(idp.stats.responses - stats.responses).toBe(1);
              },
            };
          },
        });
      },
    );
  },
);
