import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CountingProxy, startCountingProxy } from '../support/aws/countingProxy.js';
import { type Moto, startMoto } from '../support/aws/moto.js';
import { hermeticEnv, makeTempHome, runCli, type TempHome } from '../support/cli/runCli.js';
import { spawnCli } from '../support/cli/spawnCli.js';
import { dropKeptOidcTokens } from '../support/cli/storeEntries.js';
import { flowSettings, profileSection, writeAwsConfig } from '../support/harness/builders.js';
import { describeWith, itWith } from '../support/harness/component.js';
import { launchOidcBrowser, type OidcBrowser } from '../support/idp/oidcBrowser.js';
import { startOidcProvider, type TestOidcProvider } from '../support/idp/oidcProvider.js';
import { startTokenIssuer, type TokenIssuer } from '../support/idp/tokenIssuer.js';
import {
  IDP_HOST,
  NETWORK_LAB_COMPONENTS,
  networkLabForSuite,
  STS_GLOBAL_HOST,
  STS_HOST,
} from '../support/network/lab.js';
import { consumerMatrix } from './consumers.support.js';

/**
 * Behind the corporate proxy (test/support/network), with moto as STS behind the TLS front: the
 * consumer matrix once (every AWS SDK and CLI runs fedlogin as a profile's credential_process;
 * fedlogin renews through squid, the consumer's own GetCallerIdentity goes straight to a counting
 * proxy in front of moto on loopback, NO_PROXY=127.0.0.1), and the OIDC flow with its issuer at
 * https://idp.corp.example (oidc-provider behind the front): a browser sign-in through the proxy,
 * then a refresh-token renewal through it. No AWS_ENDPOINT_URL* for fedlogin anywhere.
 */

const ROLE = 'arn:aws:iam::123456789012:role/dev';
const ISSUER = `https://${IDP_HOST}`;

describeWith([...NETWORK_LAB_COMPONENTS, 'moto_server'], 'behind a corporate proxy: consumers and OIDC', () => {
  const lab = networkLabForSuite();
  let moto: Moto;
  let counting: CountingProxy;
  let scratch: string;
  const matrix = consumerMatrix({ endpoint: () => counting.url, buildDir: () => scratch });

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'fedlogin-proxy-consumers-'));
    moto = await startMoto();
    counting = await startCountingProxy(moto.url);
    for (const host of [STS_HOST, STS_GLOBAL_HOST]) lab.route(host, counting.url);
  });
  afterAll(async () => {
    await counting?.close();
    await moto?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  /** The proxy and CA for everyone; loopback direct (the consumers' own calls to the counting proxy). */
  const env = (home: TempHome) =>
    hermeticEnv(home.home, {
      ...home.env,
      ...lab.env(),
      NO_PROXY: '127.0.0.1,localhost',
      no_proxy: '127.0.0.1,localhost',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      FEDLOGIN_STORE: 'file',
    });

  describeWith([], 'the consumer matrix on a web-identity credential_process profile', () => {
    let home: TempHome;
    let issuer: TokenIssuer;
    beforeAll(async () => {
      // Build the Go consumer while the others run; its test awaits it.
      matrix.prebuildGo();
      [home, issuer] = await Promise.all([makeTempHome(), startTokenIssuer()]);
      const tokenFile = path.join(home.home, 'token');
      await writeFile(
        tokenFile,
        await issuer.sign({ sub: 'system:serviceaccount:dev:app', aud: 'sts.amazonaws.com' }),
        {
          mode: 0o600,
        },
      );
      await writeAwsConfig(
        home,
        ...matrix.consumers.map((consumer) =>
          profileSection(
            `proxy-${consumer.id}`,
            {
              region: 'us-east-1',
              ...flowSettings.webIdentity({ roleArn: ROLE, tokenFile }),
              fedlogin_role_session_name: consumer.id,
            },
            { credentialProcess: 'checkout' },
          ),
        ),
      );
    });
    afterAll(async () => {
      await issuer?.close();
      await home?.cleanup();
      await matrix.settled(); // a build still running when Go's test was filtered out
    }, 180_000);

    for (const consumer of matrix.consumers) {
      itWith(
        consumer.components,
        `${consumer.title}: fedlogin renews through the proxy inside it`,
        async () => {
          const before = {
            exchange: counting.count('AssumeRoleWithWebIdentity'),
            callerIdentity: counting.count('GetCallerIdentity'),
            connects: (await lab.connects(STS_HOST)).length,
          };
          const identity = await consumer.run(`proxy-${consumer.id}`, env(home));
          expect(identity.Arn).toBe(`arn:aws:sts::123456789012:assumed-role/dev/${consumer.id}`);
          expect(counting.count('AssumeRoleWithWebIdentity') - before.exchange).toBe(1);
          expect(counting.count('GetCallerIdentity') - before.callerIdentity).toBe(1);
          // fedlogin's exchange went through squid (one CONNECT); the consumer's own call did not.
          const connects = await lab.connects(STS_HOST);
          expect(connects.length - before.connects).toBe(1);
          expect(connects.at(-1)).toMatchObject({ result: 'TCP_TUNNEL', status: 200, peer: lab.front.address });
        },
        consumer.timeoutMs,
      );
    }
  });

  describeWith(
    ['chromium', 'playwright-core', 'oidc-provider', 'cmd:script'],
    'oidc with its issuer behind the proxy (https://idp.corp.example)',
    () => {
      let idp: TestOidcProvider;
      let browser: OidcBrowser;
      let home: TempHome;
      beforeAll(async () => {
        [idp, browser, home] = await Promise.all([
          startOidcProvider({ issuer: ISSUER }),
          launchOidcBrowser({ proxy: { server: lab.proxyUrl, hosts: [IDP_HOST] } }),
          makeTempHome(),
        ]);
        lab.route(IDP_HOST, idp.backendUrl);
        const oidc = {
          ...flowSettings.oidc({ issuer: ISSUER, clientId: idp.clientId, roleArn: ROLE }),
          fedlogin_device: 'false',
          // oidc-provider issues a refresh token (offline_access) only with prompt=consent
          fedlogin_prompt: 'consent',
        };
        await writeAwsConfig(
          home,
          profileSection('corp-login', oidc, { credentialProcess: 'installed' }),
          profileSection('corp', oidc, { credentialProcess: 'installed' }),
          profileSection('corp-untrusted', oidc, { credentialProcess: 'installed' }),
        );
      });
      afterAll(async () => {
        await Promise.all([browser?.close(), idp?.close()]);
        await home?.cleanup();
      });

      it('signs in through the proxy, then renews with the refresh token through it', async () => {
        const login = spawnCli(['login', '--profile', 'corp-login'], {
          home: home.home,
          env: env(home),
          terminal: true,
          timeoutMs: 60_000,
        });
        const [, url] = await login.waitForStderr(/(https:\/\/idp\.corp\.example\/auth\?\S+)/);
        await browser.signIn(url!, 'carol');
        const first = await login.result;
        expect(first.code, login.stderr()).toBe(0);
        expect(idp.grantCount('authorization_code')).toBe(1);
        expect((await lab.connects(IDP_HOST)).length).toBeGreaterThan(0);

        const before = {
          refresh: idp.grantCount('refresh_token'),
          exchange: counting.count('AssumeRoleWithWebIdentity'),
          idp: (await lab.connects(IDP_HOST)).length,
          sts: (await lab.connects(STS_HOST)).length,
        };
        // Another profile of the same issuer and client: a cache miss, renewed without a person.
        const renewal = await runCli(['credential-process', '--profile', 'corp'], {
          env: env(home),
          timeoutMs: 60_000,
        });
        expect(renewal.code, renewal.stderr).toBe(0);
        expect(JSON.parse(renewal.stdout)).toMatchObject({ Version: 1, AccessKeyId: expect.any(String) });
        expect(idp.grantCount('refresh_token') - before.refresh).toBe(1);
        expect(idp.grantCount('authorization_code')).toBe(1);
        expect(counting.count('AssumeRoleWithWebIdentity') - before.exchange).toBe(1);
        expect((await lab.connects(IDP_HOST)).length).toBeGreaterThan(before.idp);
        expect((await lab.connects(STS_HOST)).length).toBeGreaterThan(before.sts);

        // Without the CA the IdP's certificate is refused: one line naming the IdP and the setting.
        // (Without the ID token the renewal above kept, so that this renewal asks the IdP first.)
        expect(dropKeptOidcTokens(home)).toBe(1);
        const { AWS_CA_BUNDLE: _, ...untrustedEnv } = env(home);
        const refused = await runCli(['credential-process', '--profile', 'corp-untrusted'], {
          env: { ...untrustedEnv, AWS_CA_BUNDLE: undefined },
          timeoutMs: 60_000,
        });
        expect(refused.stdout).toBe('');
        expect([0, 1, 4]).not.toContain(refused.code);
        expect(refused.stderr).toMatch(/^fedlogin: /);
        expect(refused.stderr).toContain(IDP_HOST);
        expect(refused.stderr).toContain('AWS_CA_BUNDLE');
        expect(refused.stderr).not.toMatch(/\n\s+at /);
        expect(idp.grantCount('refresh_token') - before.refresh).toBe(1);
      });
    },
  );
});
