import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addCognitoIdentity } from '../support/aws/cognitoIdentity.js';
import { getCallerIdentity } from '../support/aws/sdkCall.js';
import { type StsEndpoint, startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { addSamlToSts } from '../support/aws/stsSaml.js';
import { makeTempHome, type RunCliResult, runCli, type TempHome } from '../support/cli/runCli.js';
import { flowSettings, profileSection, writeAwsConfig } from '../support/harness/builders.js';
import { describeWith } from '../support/harness/component.js';
import { freePort } from '../support/harness/freePort.js';
import { registerSecret } from '../support/harness/leakScan.js';
import { type GithubTokenEndpoint, startGithubTokenEndpoint } from '../support/idp/githubTokenEndpoint.js';
import {
  attachToFedloginBrowser,
  fillSamlLoginForm,
  SAML_TEST_BROWSER,
  samlLoginPage,
} from '../support/idp/samlBrowserLogin.js';
import { type SamlIdp, startSamlIdp } from '../support/idp/samlIdp.js';
import { startTokenIssuer, type TokenIssuer } from '../support/idp/tokenIssuer.js';
import {
  COGNITO_HOST,
  GITHUB_TOKEN_HOST,
  IDP_HOST,
  NETWORK_LAB_COMPONENTS,
  networkLabForSuite,
  PROXY_USER,
  STS_GLOBAL_HOST,
  STS_HOST,
  trustCaInChromium,
} from '../support/network/lab.js';

/**
 * Every flow of fedlogin through a corporate proxy (Debian squid) that alone can resolve the AWS
 * names, to TLS stand-ins presenting a private CA's certificate (test/support/network). No
 * AWS_ENDPOINT_URL* anywhere: fedlogin builds https://sts.us-east-1.amazonaws.com itself and
 * cannot resolve it, so a success proves the proxy carried the call; squid's access.log proves each
 * CONNECT. The CLI behaviour asserted is issue 16's ("Corporate networks").
 */

const ROLE = 'arn:aws:iam::123456789012:role/ci';
const SAML_PROVIDER = 'arn:aws:iam::123456789012:saml-provider/corp-idp';
const SAML_ROLE = 'arn:aws:iam::123456789012:role/corp-dev';
const POOL = 'us-east-1:0f3c9d2e-7a1b-4c5d-8e9f-0a1b2c3d4e5f';
const GUEST_ROLE = 'arn:aws:iam::123456789012:role/cognito-guest';
const GITHUB_CLAIMS_SUB = 'repo:octo-org/octo-repo:*';

describeWith([...NETWORK_LAB_COMPONENTS, 'samlify'], 'fedlogin behind a corporate proxy', () => {
  const lab = networkLabForSuite();
  let issuer: TokenIssuer;
  let sts: StsEndpoint;
  let github: GithubTokenEndpoint;
  let samlIdp: SamlIdp;
  let home: TempHome;

  beforeAll(async () => {
    [issuer, samlIdp] = await Promise.all([
      startTokenIssuer(),
      startSamlIdp({ roles: [`${SAML_ROLE},${SAML_PROVIDER}`] }),
    ]);
    github = await startGithubTokenEndpoint({ issuer });
    sts = await startStsEndpoint({
      roles: {
        [ROLE]: { trust: { issuer: issuer.url, audiences: ['sts.amazonaws.com'], subjects: [GITHUB_CLAIMS_SUB] } },
        [SAML_ROLE]: {},
      },
    });
    addSamlToSts(sts, { providers: { [SAML_PROVIDER]: { certPem: samlIdp.certPem } } });
    await addCognitoIdentity(sts, {
      [POOL]: { allowUnauthenticated: true, providers: {}, roles: { unauthenticated: GUEST_ROLE } },
    });
    // Every AWS name the SDK may build for us-east-1 goes to the STS double (Cognito's JSON targets included).
    for (const host of [STS_HOST, STS_GLOBAL_HOST, COGNITO_HOST]) lab.route(host, sts.url);
    lab.route(GITHUB_TOKEN_HOST, github.requestUrl);
  });
  afterAll(async () => {
    await Promise.all([sts?.close(), github?.close(), samlIdp?.close()]);
    await issuer?.close();
  });
  beforeEach(async () => {
    home = await makeTempHome();
    return () => home.cleanup();
  });

  /** fedlogin's environment: the lab's proxy and CA, a region, never an endpoint override. */
  const env = (over: Record<string, string | undefined> = {}) => ({
    ...home.env,
    ...lab.env(),
    AWS_REGION: 'us-east-1',
    FEDLOGIN_STORE: 'file',
    ...over,
  });

  async function tokenFile(): Promise<string> {
    const file = path.join(home.home, 'token.jwt');
    await writeFile(
      file,
      await issuer.sign({ sub: 'repo:octo-org/octo-repo:ref:refs/heads/main', aud: 'sts.amazonaws.com' }),
      {
        mode: 0o600,
      },
    );
    return file;
  }

  /** Credentials on stdout; stderr empty but for a flow's own `Assumed ROLE; ...` notice (saml). */
  function credentials(result: RunCliResult) {
    expect(result.stderr.replace(/^Assumed arn:\S+; the credentials expire at \S+\n/, '')).toBe('');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as Record<string, string>;
    return { accessKeyId: json.AccessKeyId!, secretAccessKey: json.SecretAccessKey!, sessionToken: json.SessionToken! };
  }

  /** One `fedlogin: ...` line (a hint line at most, retry notices aside), nothing on stdout, no password anywhere. */
  function expectOneLineFailure(result: RunCliResult, secrets: string[] = []) {
    expect(result.stdout).toBe('');
    const lines = result.stderr
      .trimEnd()
      .split('\n')
      .filter((l) => !/retrying in/.test(l));
    expect(lines[0]).toMatch(/^fedlogin: /);
    expect(lines.length, result.stderr).toBeLessThanOrEqual(2);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    for (const secret of [lab.proxyPassword, encodeURIComponent(lab.proxyPassword), ...secrets])
      expect(result.stderr).not.toContain(secret);
  }

  /** The STS calls of this run reached the stand-in through a CONNECT squid logged. */
  async function expectTunnelled(host: string, user = '-') {
    const connects = await lab.connects(host);
    expect(connects.length, `no CONNECT ${host}:443 in squid's log`).toBeGreaterThan(0);
    expect(connects.at(-1)).toMatchObject({ result: 'TCP_TUNNEL', status: 200, peer: lab.front.address, user });
  }

  describe('web-identity', () => {
    it('--token-file: STS through the proxy, trusting AWS_CA_BUNDLE', async () => {
      const before = sts.issued.length;
      const result = await runCli(['web-identity', '--token-file', await tokenFile(), '--role-arn', ROLE], {
        env: env(),
      });
      const creds = credentials(result);
      expect(sts.issued.length).toBe(before + 1);
      expect(sts.issued.at(-1)).toMatchObject({ accessKeyId: creds.accessKeyId, roleArn: ROLE });
      await expectTunnelled(STS_HOST);
      expect(lab.front.requestsFor(STS_HOST).at(-1)).toMatchObject({ method: 'POST', status: 200 });
      expect((await getCallerIdentity(creds, sts.url)).Arn).toContain('assumed-role/ci/');
    });

    it('--ci github: the token endpoint and STS both through the proxy', async () => {
      const requestUrl = github.requestUrl.replace(/^http:\/\/127\.0\.0\.1:\d+/, `https://${GITHUB_TOKEN_HOST}`);
      const jobEnv = {
        ...github.env,
        ACTIONS_ID_TOKEN_REQUEST_URL: requestUrl,
        GITHUB_RUN_ID: '77',
        GITHUB_REPOSITORY: 'octo-org/octo-repo',
      };
      const before = github.requests.length;
      const result = await runCli(['web-identity', '--ci', 'github', '--role-arn', ROLE], { env: env(jobEnv) });
      credentials(result);
      expect(github.requests.slice(before)).toEqual([{ audience: 'sts.amazonaws.com', authorized: true }]);
      await expectTunnelled(GITHUB_TOKEN_HOST);
      await expectTunnelled(STS_HOST);
    });

    it('NO_PROXY: a listed host is reached directly, the others still through the proxy', async () => {
      // The token endpoint on plain loopback HTTP: through HTTP_PROXY unless NO_PROXY names it.
      const jobEnv = { ...github.env, GITHUB_RUN_ID: '78', GITHUB_REPOSITORY: 'octo-org/octo-repo' };
      const tokenPath = new URL(github.requestUrl).pathname;
      const proxied = (entries: { url: string }[]) => entries.filter((e) => e.url.includes(tokenPath));

      const viaProxy = await runCli(['web-identity', '--ci', 'github', '--role-arn', ROLE], { env: env(jobEnv) });
      credentials(viaProxy);
      expect(proxied(await lab.proxyLog()).length, 'without NO_PROXY the token request goes through the proxy').toBe(1);

      for (const noProxy of ['127.0.0.1', `localhost,127.0.0.1:${new URL(github.requestUrl).port}`]) {
        const direct = await runCli(['web-identity', '--ci', 'github', '--role-arn', ROLE], {
          env: env({ ...jobEnv, NO_PROXY: noProxy, no_proxy: noProxy }),
        });
        credentials(direct);
        const log = await lab.proxyLog();
        expect(proxied(log).length, `NO_PROXY=${noProxy}`).toBe(1);
        await expectTunnelled(STS_HOST);
      }
    });

    it('NO_PROXY with a leading-dot domain sends STS direct: unresolvable here, exit 4, no CONNECT logged', async () => {
      const connectsBefore = (await lab.connects(STS_HOST)).length;
      const result = await runCli(['web-identity', '--token-file', await tokenFile(), '--role-arn', ROLE], {
        env: env({ NO_PROXY: '.amazonaws.com', no_proxy: '.amazonaws.com', AWS_MAX_ATTEMPTS: '1' }),
        timeoutMs: 60_000,
      });
      expect(result.code, result.stderr).toBe(4);
      expectOneLineFailure(result);
      expect(result.stderr).toContain(STS_HOST);
      expect((await lab.connects(STS_HOST)).length).toBe(connectsBefore);
    });
  });

  describe('proxy authentication and trust', () => {
    it('Basic authentication with a percent-encoded password in the proxy URL; --debug never shows it', async () => {
      const proxyUrl = lab.authProxyUrl();
      expect(proxyUrl).toContain('%40');
      const result = await runCli(['web-identity', '--token-file', await tokenFile(), '--role-arn', ROLE, '--debug'], {
        env: env(lab.env({ proxyUrl })),
      });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).not.toContain(lab.proxyPassword);
      expect(result.stderr).not.toContain(encodeURIComponent(lab.proxyPassword));
      await expectTunnelled(STS_HOST, PROXY_USER);
    });

    it('a wrong proxy password: 407 said in one line, the password masked', async () => {
      const wrong = 'wr0ng@pass%word';
      registerSecret(wrong, 'token', 'a wrong proxy password');
      const result = await runCli(['web-identity', '--token-file', await tokenFile(), '--role-arn', ROLE], {
        env: env({ ...lab.env({ proxyUrl: lab.authProxyUrl(wrong) }), AWS_MAX_ATTEMPTS: '1' }),
        timeoutMs: 60_000,
      });
      expect(result.code).not.toBe(0);
      expect(result.code).not.toBe(1);
      expectOneLineFailure(result, [wrong, encodeURIComponent(wrong)]);
      expect(result.stderr).toMatch(/407|proxy authentication/i);
      expect(result.stderr).toContain(new URL(lab.squid.authUrl!).host);
      expect((await lab.connects(STS_HOST)).at(-1)).toMatchObject({ result: 'TCP_DENIED', status: 407 });
    });

    it('without the CA: a certificate error naming the host and AWS_CA_BUNDLE, not "unreachable"', async () => {
      const result = await runCli(['web-identity', '--token-file', await tokenFile(), '--role-arn', ROLE], {
        env: env({ AWS_CA_BUNDLE: undefined, AWS_MAX_ATTEMPTS: '1' }),
        timeoutMs: 60_000,
      });
      expect(result.code).not.toBe(0);
      expect(result.code).not.toBe(1);
      expect(result.code, 'exit 4 is for real unreachability only').not.toBe(4);
      expectOneLineFailure(result);
      expect(result.stderr).toContain(STS_HOST);
      expect(result.stderr).toContain('AWS_CA_BUNDLE');
      expect(result.stderr).toMatch(/certificate|issuer/i);
    });

    it('NODE_EXTRA_CA_CERTS instead of AWS_CA_BUNDLE', async () => {
      const result = await runCli(['web-identity', '--token-file', await tokenFile(), '--role-arn', ROLE], {
        env: env({ AWS_CA_BUNDLE: undefined, NODE_EXTRA_CA_CERTS: lab.caFile }),
      });
      credentials(result);
      await expectTunnelled(STS_HOST);
    });

    it("the profile's ca_bundle, as botocore reads it", async () => {
      await writeAwsConfig(
        home,
        profileSection('ci', {
          region: 'us-east-1',
          ca_bundle: lab.caFile,
          ...flowSettings.webIdentity({ roleArn: ROLE, tokenFile: await tokenFile() }),
        }),
      );
      const result = await runCli(['credential-process', '--profile', 'ci'], {
        env: env({ AWS_CA_BUNDLE: undefined }),
      });
      credentials(result);
      await expectTunnelled(STS_HOST);
    });
  });

  describe('the other flows', () => {
    it('cognito --guest: Cognito Identity through the proxy', async () => {
      const before = sts.count('GetCredentialsForIdentity');
      const result = await runCli(['cognito', '--identity-pool-id', POOL, '--guest'], { env: env() });
      const creds = credentials(result);
      expect(sts.count('GetCredentialsForIdentity')).toBe(before + 1);
      await expectTunnelled(COGNITO_HOST);
      expect((await getCallerIdentity(creds, sts.url)).Arn).toContain('assumed-role/cognito-guest/');
    });

    it('saml --assertion-file: AssumeRoleWithSAML through the proxy', async () => {
      const file = path.join(home.home, 'response.b64');
      await writeFile(file, await samlIdp.signedResponse('alice'), { mode: 0o600 });
      const before = sts.count('AssumeRoleWithSAML');
      const result = await runCli(['saml', '--assertion-file', file], { env: env() });
      const creds = credentials(result);
      expect(sts.count('AssumeRoleWithSAML')).toBe(before + 1);
      await expectTunnelled(STS_HOST);
      expect((await getCallerIdentity(creds, sts.url)).Arn).toContain('assumed-role/corp-dev/');
    });
  });

  describeWith(['chromium', 'playwright-core', 'cmd:certutil'], "saml in fedlogin's browser", () => {
    it('the driven Chromium loads the IdP through the proxy; the assertion goes to STS through it', async () => {
      lab.route(IDP_HOST, samlIdp.url);
      trustCaInChromium(home.home, lab.caFile);
      const before = { exchanges: sts.count('AssumeRoleWithSAML'), idp: (await lab.connects(IDP_HOST)).length };
      const port = await freePort();
      const running = runCli(
        ['saml', '--idp-url', `https://${IDP_HOST}/sso`, '--browser', SAML_TEST_BROWSER, '--headless'],
        { env: env({ FEDLOGIN_BROWSER_DEBUG_PORT: String(port) }), timeoutMs: 90_000 },
      );
      const browser = await attachToFedloginBrowser(port);
      try {
        const page = await samlLoginPage(browser);
        expect(page.url()).toBe(`https://${IDP_HOST}/sso`);
        await fillSamlLoginForm(page);
      } finally {
        await browser.close().catch(() => undefined);
      }
      const result = await running;
      credentials(result);
      expect(sts.count('AssumeRoleWithSAML')).toBe(before.exchanges + 1);
      expect((await lab.connects(IDP_HOST)).length).toBeGreaterThan(before.idp);
      await expectTunnelled(STS_HOST);
      expect(lab.front.requestsFor(IDP_HOST).map((r) => `${r.method} ${r.url}`)).toEqual(
        expect.arrayContaining(['GET /sso', 'POST /login']),
      );
    });
  });

  describe('doctor', () => {
    interface JsonCheck {
      id: string;
      profile: string | null;
      status: string;
      message: string;
    }

    it('reports the proxy (password masked), STS reached through it, and the intercepting CA', async () => {
      await writeAwsConfig(
        home,
        profileSection(
          'ci',
          { ...flowSettings.webIdentity({ roleArn: ROLE, tokenFile: await tokenFile() }), fedlogin_store: 'file' },
          { credentialProcess: 'installed' },
        ),
      );
      const result = await runCli(['doctor', '--json', '--profile', 'ci'], {
        env: env(lab.env({ proxyUrl: lab.authProxyUrl() })),
        timeoutMs: 60_000,
      });
      expect(result.stderr).not.toContain(lab.proxyPassword);
      expect(result.stdout).not.toContain(lab.proxyPassword);
      expect(result.stdout).not.toContain(encodeURIComponent(lab.proxyPassword));
      const { checks } = JSON.parse(result.stdout) as { checks: JsonCheck[] };
      const text = (c: JsonCheck) => `${c.id} ${c.message}`;
      const proxyCheck = checks.find((c) => /proxy/i.test(c.id));
      expect(proxyCheck, JSON.stringify(checks, null, 2)).toBeDefined();
      expect(proxyCheck!.status).toBe('ok');
      expect(proxyCheck!.message).toContain(new URL(lab.squid.authUrl!).host);
      expect(checks.find((c) => c.id === 'sts-reachable')?.status).toBe('ok');
      // The STS certificate's issuer is not one of Node's public roots: said, as information.
      expect(checks.find((c) => c.id === 'sts-reachable')?.message).toMatch(/through the proxy/);
      const interception = checks.find((c) => /inspect|intercept/i.test(text(c)));
      expect(interception, JSON.stringify(checks, null, 2)).toBeDefined();
      expect(interception!.status).toBe('ok');
      expect(interception!.message).toContain('fedlogin test corporate CA');
      expect((await lab.connects(STS_HOST)).at(-1)).toMatchObject({ user: PROXY_USER });
    });

    it('a proxy that does not answer: a failing check with the fix, exit 2', async () => {
      await writeAwsConfig(
        home,
        profileSection('ci', flowSettings.webIdentity({ roleArn: ROLE, tokenFile: await tokenFile() }), {
          credentialProcess: 'installed',
        }),
      );
      const dead = 'http://127.0.0.1:9';
      const result = await runCli(['doctor', '--json', '--profile', 'ci'], {
        env: env({ ...lab.env({ proxyUrl: dead }), AWS_MAX_ATTEMPTS: '1' }),
        timeoutMs: 60_000,
      });
      expect(result.code).toBe(2);
      const { checks } = JSON.parse(result.stdout) as { checks: JsonCheck[] };
      const proxyCheck = checks.find((c) => /proxy/i.test(c.id));
      expect(proxyCheck, JSON.stringify(checks, null, 2)).toMatchObject({ status: 'fail' });
      expect(proxyCheck!.message).toContain('127.0.0.1:9');
    });
  });
});
