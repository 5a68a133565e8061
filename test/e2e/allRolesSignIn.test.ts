import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { lookUpCache } from '../../src/cli/credentialProcess.js';
import { getProfile, listProfiles, parseIniDocument } from '../../src/store/iniDocument.js';
import { type FederationEndpoint, startFederationEndpoint } from '../support/aws/federationEndpoint.js';
import { type StsEndpoint, startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { addSamlToSts } from '../support/aws/stsSaml.js';
import { hermeticEnv, makeTempHome, runCli, type TempHome } from '../support/cli/runCli.js';
import { OIDC_AUTH_URL, spawnCli } from '../support/cli/spawnCli.js';
import { describeWith } from '../support/harness/component.js';
import { launchOidcBrowser, type OidcBrowser } from '../support/idp/oidcBrowser.js';
import { startOidcProvider, type TestOidcProvider } from '../support/idp/oidcProvider.js';
import { signInWithOidc } from '../support/idp/oidcSignIn.js';
import { forgetKeptAssertion, samlLoginThroughForm } from '../support/idp/samlBrowserLogin.js';
import { type SamlIdp, startSamlIdp } from '../support/idp/samlIdp.js';
import { consumerMatrix } from './consumers.support.js';

/**
 * --all-roles with a real sign-in: SAML through the samlify IdP's form in fedlogin's Chromium (12
 * roles over 6 accounts, exactly one sign-in), OIDC through oidc-provider in the person's browser
 * (roles listed on the command line or in the profile). Each written profile then answers from its
 * cache: the AWS CLI's call makes no IdP round trip and no STS role call.
 */

const ACCOUNTS = ['111111111111', '222222222222', '333333333333', '444444444444', '555555555555', '666666666666'];
const roleArn = (account: string, role: string) => `arn:aws:iam::${account}:role/${role}`;
const providerArn = (account: string) => `arn:aws:iam::${account}:saml-provider/corp-idp`;

const taggedWith = (text: string, tag: string) => {
  const doc = parseIniDocument(text);
  return listProfiles(doc, 'config').filter((n) => getProfile(doc, 'config', n)?.fedlogin_managed_by === tag);
};

describeWith(['chromium', 'aws-cli-v1'], 'saml --all-roles through the IdP form: one sign-in, 12 profiles', () => {
  const ROLES = ACCOUNTS.flatMap((a) => ['Admin', 'ReadOnly'].map((r) => `${roleArn(a, r)},${providerArn(a)}`));
  let idp: SamlIdp;
  let sts: StsEndpoint;
  let fed: FederationEndpoint;
  let home: TempHome;

  beforeAll(async () => {
    idp = await startSamlIdp({ roles: ROLES, sessionDuration: 3600 });
    sts = await startStsEndpoint({
      roles: Object.fromEntries(ROLES.map((r) => [r.split(',')[0]!, { maxSessionDuration: 3600 }])),
    });
    addSamlToSts(sts, {
      providers: Object.fromEntries(ACCOUNTS.map((a) => [providerArn(a), { certPem: idp.certPem }])),
    });
    fed = await startFederationEndpoint({ accountNames: { '111111111111': 'prod', '222222222222': 'dev' } });
    home = await makeTempHome();
  });
  afterAll(async () => {
    await idp?.close();
    await sts?.close();
    await fed?.close();
    await home?.cleanup();
  });

  it('one browser sign-in, 12 tagged profiles with their caches, the AWS CLI served from the cache', async () => {
    const withNames = { ...home, env: { ...home.env, FEDLOGIN_SIGNIN_ENDPOINT: fed.url } };
    const result = await samlLoginThroughForm(withNames, idp, sts.url, ['--all-roles']);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code, result.stderr).toBe(0);
    expect(idp.stats).toMatchObject({ formsShown: 1, logins: 1, responses: 1 });
    expect(sts.count('AssumeRoleWithSAML')).toBe(12);
    expect(fed.requests.filter((r) => r.path === '/saml')).toHaveLength(1);
    const text = await readFile(home.awsConfigFile, 'utf8');
    const names = taggedWith(text, `saml:${idp.ssoUrl}`);
    expect(names).toHaveLength(12);
    expect(names).toContain('prod-Admin');
    expect(names).toContain('dev-ReadOnly');
    expect(names).toContain('666666666666-Admin');
    // the browser settings of this run are what the profiles renew with
    expect(getProfile(parseIniDocument(text), 'config', 'prod-Admin')).toMatchObject({
      fedlogin_browser: '/usr/bin/chromium',
      fedlogin_browser_mode: 'headless',
    });
    const env = hermeticEnv(home.home, { ...home.env, AWS_ENDPOINT_URL_STS: sts.url });
    for (const name of names) expect(lookUpCache({ profile: name, debug: false }, env).answer, name).toBeDefined();

    const v1 = consumerMatrix({ endpoint: () => sts.url, buildDir: () => home.home }).consumers.find(
      (c) => c.id === 'aws-cli-v1',
    )!;
    expect((await v1.run('dev-ReadOnly', env)).Account).toBe('222222222222');
    expect(idp.stats).toMatchObject({ formsShown: 1, logins: 1, responses: 1 });
    expect(sts.count('AssumeRoleWithSAML')).toBe(12);

    // a written profile renews like any saml profile: headless, through the IdP session, no form
    // (once the assertion --all-roles kept has run out: samlRenewal.test.ts shows it reused before)
    await forgetKeptAssertion(home, idp.ssoUrl);
    const renewal = await runCli(['login', '--profile', '666666666666-Admin'], {
      env: { ...home.env, AWS_ENDPOINT_URL_STS: sts.url, FEDLOGIN_BROWSER_LOOPBACK_ONLY: '1' },
      timeoutMs: 60_000,
    });
    expect(renewal.code, renewal.stderr).toBe(0);
    expect(idp.stats).toMatchObject({ formsShown: 1, logins: 1, responses: 2 });
    expect(sts.count('AssumeRoleWithSAML')).toBe(13);
  });
});

describeWith(
  ['chromium', 'playwright-core', 'oidc-provider'],
  'oidc --all-roles against oidc-provider: one sign-in, a profile per listed role',
  () => {
    const DEV = roleArn('111111111111', 'dev');
    const OPS = roleArn('222222222222', 'team/ops');
    const AUDIT = roleArn('333333333333', 'audit');
    let idp: TestOidcProvider;
    let sts: StsEndpoint;
    let browser: OidcBrowser;
    let home: TempHome;

    beforeAll(async () => {
      [idp, browser] = await Promise.all([startOidcProvider(), launchOidcBrowser()]);
      const trust = { trust: { issuer: idp.issuer, audiences: [idp.clientId] } };
      sts = await startStsEndpoint({ roles: { [DEV]: trust, [OPS]: trust, [AUDIT]: trust } });
      home = await makeTempHome();
    });
    afterAll(async () => {
      await Promise.all([browser?.close(), idp?.close(), sts?.close(), home?.cleanup()]);
    });
    beforeEach(() => sts.reset());

    const env = () => ({
      HOME: home.home,
      AWS_ENDPOINT_URL_STS: sts.url,
      AWS_REGION: 'us-east-1',
      FEDLOGIN_STORE: 'file',
    });
    const tag = () => `oidc:${idp.issuer.replace(/\/+$/, '')} ${idp.clientId}`;

    it('--role-arns: one sign-in, every role exchanged, tagged profiles whose caches answer', async () => {
      const result = await signInWithOidc(idp, home, {
        browser,
        env: env(),
        args: ['--prompt', 'consent', '--all-roles', '--role-arns', `${DEV}, ${OPS}`],
      });
      expect(result.page).toContain('Signed in to fedlogin');
      expect(sts.count('AssumeRoleWithWebIdentity')).toBe(2);
      const text = await readFile(home.awsConfigFile, 'utf8');
      expect(taggedWith(text, tag()).sort()).toEqual(['111111111111-dev', '222222222222-ops']);
      expect(getProfile(parseIniDocument(text), 'config', '222222222222-ops')).toMatchObject({
        fedlogin_flow: 'oidc',
        fedlogin_issuer: idp.issuer,
        fedlogin_client_id: idp.clientId,
        fedlogin_prompt: 'consent',
        fedlogin_open_browser: 'false',
        fedlogin_role_arn: OPS,
      });
      const full = hermeticEnv(home.home, env());
      for (const name of ['111111111111-dev', '222222222222-ops'])
        expect(lookUpCache({ profile: name, debug: false }, full).answer, name).toBeDefined();
      // credential-process itself: a cache hit, no STS call
      const hit = spawnCli(['credential-process', '--profile', '222222222222-ops'], { home: home.home, env: env() });
      const served = await hit.result;
      expect(served.code, served.stderr).toBe(0);
      expect(sts.count('AssumeRoleWithWebIdentity')).toBe(2);
      // a renewal of another role's profile (login forces one) uses the refresh token of that one sign-in
      const refreshes = idp.grantCount('refresh_token');
      const renewed = spawnCli(['login', '--profile', '111111111111-dev'], { home: home.home, env: env() });
      const renewal = await renewed.result;
      expect(renewal.code, renewal.stderr).toBe(0);
      expect(renewal.stderr).not.toContain(OIDC_AUTH_URL);
      expect(idp.grantCount('refresh_token')).toBe(refreshes + 1);
      expect(sts.count('AssumeRoleWithWebIdentity')).toBe(3);
    });

    it('the roles and aliases of a profile (fedlogin_role_arns, fedlogin_account_aliases): --dry-run signs in nowhere; then --prune drops an unlisted role', async () => {
      const base = [
        '[profile corp]',
        'fedlogin_flow = oidc',
        `fedlogin_issuer = ${idp.issuer}`,
        `fedlogin_client_id = ${idp.clientId}`,
        'fedlogin_prompt = consent',
        'fedlogin_open_browser = false',
        `fedlogin_role_arns = ${DEV} ${AUDIT}`,
        'fedlogin_account_aliases = 333333333333=audit-acct',
        '',
      ].join('\n');
      const before = `${base}\n${await readFile(home.awsConfigFile, 'utf8')}`;
      await writeFile(home.awsConfigFile, before);
      const dry = spawnCli(['oidc', '--profile', 'corp', '--all-roles', '--dry-run', '--prune'], {
        home: home.home,
        env: env(),
      });
      const planned = await dry.result;
      expect(planned.code, planned.stderr).toBe(0);
      expect(planned.stderr).not.toContain(OIDC_AUTH_URL);
      expect(planned.stdout).toContain('+ [profile audit-acct-audit]');
      expect(planned.stdout).toContain('- [profile 222222222222-ops]');
      expect(await readFile(home.awsConfigFile, 'utf8')).toBe(before);
      expect(sts.count('AssumeRoleWithWebIdentity')).toBe(0);

      const cli = spawnCli(['oidc', '--profile', 'corp', '--all-roles', '--prune'], { home: home.home, env: env() });
      const [, url] = await cli.waitForStderr(OIDC_AUTH_URL);
      await browser.signIn(url!, 'alice');
      const result = await cli.result;
      expect(result.code, result.stderr).toBe(0);
      const text = await readFile(home.awsConfigFile, 'utf8');
      expect(taggedWith(text, tag()).sort()).toEqual(['111111111111-dev', 'audit-acct-audit']);
      expect(text.startsWith(base)).toBe(true);
      // the base profile's settings carried over, its role list not
      const audit = getProfile(parseIniDocument(text), 'config', 'audit-acct-audit')!;
      expect(audit.fedlogin_prompt).toBe('consent');
      expect(audit.fedlogin_role_arns).toBeUndefined();
      expect(audit.fedlogin_account_aliases).toBeUndefined();
    });
  },
);
