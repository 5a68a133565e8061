import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeEach, expect, it } from 'vitest';
import { type StsEndpoint, startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { moduleTrace } from '../support/cli/moduleTrace.js';
import { makeTempHome, runCli, type TempHome } from '../support/cli/runCli.js';
import { spawnCli } from '../support/cli/spawnCli.js';
import { oidcRenewableProfile, writeAwsConfig } from '../support/harness/builders.js';
import { describeWith } from '../support/harness/component.js';
import { forSuite } from '../support/harness/suite.js';
import { launchOidcBrowser } from '../support/idp/oidcBrowser.js';
import { type OidcProviderOptions, startOidcProvider } from '../support/idp/oidcProvider.js';
import { signInWithOidc } from '../support/idp/oidcSignIn.js';

/**
 * Many role profiles on one OIDC sign-in, renewed at once, against a real oidc-provider that rotates
 * refresh tokens and revokes the whole grant when a used one comes back: the renewals run one at a
 * time per sign-in (a cross-process lock), the first runs the refresh grant and keeps the renewed
 * ID token in the secret store, the others exchange that token. The refresh grant itself runs on
 * fedlogin's node:http layer without openid-client (and so without undici), for public and
 * confidential clients.
 */

const roleArn = (i: number) => `arn:aws:iam::123456789012:role/team-${i}`;
const ROLES = 6;
const SECRET = 'fedlogin-test-client-secret-EXAMPLE-7f3c';

describeWith(['chromium', 'playwright-core', 'oidc-provider'], 'OIDC renewals of many roles on one sign-in', () => {
  const browser = forSuite(
    'the browser',
    () => launchOidcBrowser(),
    (b) => b.close(),
  );
  // what each test started, stopped with the file's servers
  const stops: (() => Promise<unknown>)[] = [];
  afterAll(() => Promise.all(stops.map((stop) => stop())));
  let home: TempHome;
  beforeEach(async () => {
    home = await makeTempHome();
    return () => home.cleanup();
  });

  /** A provider, an STS double whose roles trust it, profiles p0..p(n-1), and one sign-in. */
  async function setUp(n: number, options: OidcProviderOptions = {}, extraEnv: Record<string, string> = {}) {
    const idp = await startOidcProvider(options);
    stops.push(() => idp.close());
    const roles = Object.fromEntries(
      Array.from({ length: n }, (_, i) => [roleArn(i), { trust: { issuer: idp.issuer, audiences: [idp.clientId] } }]),
    );
    const sts: StsEndpoint = await startStsEndpoint({ roles });
    stops.push(() => sts.close());
    const env = {
      HOME: home.home,
      AWS_ENDPOINT_URL_STS: sts.url,
      AWS_REGION: 'us-east-1',
      FEDLOGIN_STORE: 'file',
      ...extraEnv,
    };
    await writeAwsConfig(home, ...Array.from({ length: n }, (_, i) => oidcRenewableProfile(`p${i}`, idp, roleArn(i))));
    await signInWithOidc(idp, home, { browser, roleArn: roleArn(0), env, args: ['--prompt', 'consent'] });
    // STS's clock an hour behind from here on: every credential set it issues is stale in
    // fedlogin's cache at once, so each credential-process below renews
    sts.setClockSkew(-3600_000);
    return { idp, sts, env };
  }

  /** credential-process for every profile, all started at once, --debug. */
  async function renewAll(n: number, env: Record<string, string>) {
    const runs = Array.from({ length: n }, (_, i) =>
      spawnCli(['credential-process', '--profile', `p${i}`, '--debug'], { home: home.home, env, timeoutMs: 90_000 }),
    );
    return Promise.all(runs.map((run) => run.result));
  }

  it(`${ROLES} expired role profiles renewed at once: one refresh grant, ${ROLES} AssumeRoleWithWebIdentity, the grant intact; logout drops the kept token; invalid_grant as before`, async () => {
    const { idp, sts, env } = await setUp(ROLES);
    const refreshes = idp.grantCount('refresh_token');
    const issued = sts.issued.length;

    const results = await renewAll(ROLES, env);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    expect(idp.grantCount('refresh_token') - refreshes).toBe(1);
    const exchanges = sts.issued.slice(issued);
    expect(exchanges).toHaveLength(ROLES);
    expect(exchanges.every((c) => c.action === 'AssumeRoleWithWebIdentity' && c.subject === 'alice')).toBe(true);
    expect(new Set(exchanges.map((c) => c.roleArn))).toEqual(
      new Set(Array.from({ length: ROLES }, (_, i) => roleArn(i))),
    );
    expect(results.filter((r) => /no refresh grant/.test(r.stderr))).toHaveLength(ROLES - 1);
    expect(idp.grantRevocations()).toBe(0);
    // a public client: client_id in the form, no client authentication
    expect(idp.tokenRequests.filter((t) => t.grantType === 'refresh_token').at(-1)).toMatchObject({
      basic: false,
      formClientId: true,
      formClientSecret: false,
      status: 200,
    });

    // logout drops the kept token: the next renewal runs a refresh grant, which the IdP accepts
    // (the grant was not revoked), and loads neither openid-client nor undici
    const logout = await runCli(['logout', '--profile', 'p3'], { env });
    expect(logout.code, logout.stderr).toBe(0);
    expect(logout.stderr).toContain('p3: removed');
    expect(logout.stderr).toContain('the ID token kept from the last OIDC renewal');
    const trace = await moduleTrace(await mkdtemp(path.join(home.home, 'trace-')));
    const later = spawnCli(['credential-process', '--profile', 'p3', '--debug'], {
      home: home.home,
      env,
      nodeArgs: trace.nodeArgs,
      timeoutMs: 60_000,
    });
    const laterResult = await later.result;
    expect(laterResult.code, laterResult.stderr).toBe(0);
    expect(laterResult.stderr).toMatch(/oidc timing: refresh-token renewal took \d+ ms/);
    expect(idp.grantCount('refresh_token') - refreshes).toBe(2);
    expect(idp.grantRevocations()).toBe(0);
    const modules = await trace.modules();
    expect(modules.some((m) => m.includes('/dist/bundle/'))).toBe(true);
    expect(modules.some((m) => m.includes('@aws-sdk/client-sts'))).toBe(true);
    expect(modules.filter((m) => /openid-client|oauth4webapi|undici/.test(m))).toEqual([]);
    const internals = await trace.internals();
    expect(internals.length).toBeGreaterThan(0);
    expect(internals.filter((m) => /undici/.test(m))).toEqual([]);

    // revoked at the IdP: invalid_grant means "sign in again", exit 2, as before
    await idp.revokeRefreshTokens();
    await runCli(['logout', '--profile', 'p1'], { env });
    const refused = await runCli(['credential-process', '--profile', 'p1'], { env, timeoutMs: 60_000 });
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(`The saved sign-in at ${idp.issuer} has expired or was revoked`);
    expect(refused.stderr).toContain('fedlogin: Profile p1 needs you to sign in: run fedlogin login --profile p1');
    expect(idp.tokenRequests.at(-1)).toMatchObject({ grantType: 'refresh_token', error: 'invalid_grant' });
  }, 300_000);

  it('ID tokens too short-lived to keep: each renewal runs its own refresh grant, one at a time, and the rotating grant survives', async () => {
    // an ID token valid for 60 s is never kept (it is handed out until 60 s before its expiry)
    const { idp, env } = await setUp(3, { idTokenTtlSeconds: 60 });
    const refreshes = idp.grantCount('refresh_token');
    const results = await renewAll(3, env);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    expect(idp.grantCount('refresh_token') - refreshes).toBe(3);
    expect(idp.grantRevocations()).toBe(0);
    expect(idp.tokenRequests.filter((t) => t.error)).toEqual([]);
  }, 300_000);

  for (const method of ['client_secret_basic', 'client_secret_post'] as const) {
    it(`a confidential client (${method}): the refresh grant authenticates as the discovery document says`, async () => {
      const { idp, sts, env } = await setUp(
        2,
        { clientSecret: SECRET, clientAuthMethod: method },
        { FEDLOGIN_OIDC_CLIENT_SECRET: SECRET },
      );
      // the sign-in (openid-client) made the same choice
      expect(idp.tokenRequests.at(-1)).toMatchObject({ grantType: 'authorization_code', status: 200 });
      const issued = sts.issued.length;
      const results = await renewAll(2, env);
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      expect(sts.issued.length - issued).toBe(2);
      const refresh = idp.tokenRequests.filter((t) => t.grantType === 'refresh_token');
      expect(refresh).toHaveLength(1);
      expect(refresh[0]).toMatchObject({
        basic: method === 'client_secret_basic',
        formClientSecret: method === 'client_secret_post',
        status: 200,
      });
      expect(idp.grantRevocations()).toBe(0);
    }, 300_000);
  }
});
