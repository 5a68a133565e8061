import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { assertionKey, parseAssertionEntry, serializeAssertionEntry } from '../../src/flows/saml/assertionEntry.js';
import { cacheDir, createFileStore } from '../../src/store/fileStore.js';
import { type StsEndpoint, startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { addSamlToSts } from '../support/aws/stsSaml.js';
import { makeTempHome, type RunCliResult, runCli, type TempHome } from '../support/cli/runCli.js';
import { profileSection, writeAwsConfig } from '../support/harness/builders.js';
import { describeWith } from '../support/harness/component.js';
import { letRenewalsExpire, SAML_TEST_BROWSER, samlLoginThroughForm } from '../support/idp/samlBrowserLogin.js';
import { type SamlIdp, startSamlIdp } from '../support/idp/samlIdp.js';
import { roleAttributeValues, TWELVE_SAML_ROLES } from '../support/idp/samlManyRoles.js';

/**
 * Issue 18: renewing many roles of one IdP costs one IdP round trip. A samlify IdP grants 12 roles
 * over 6 accounts; 12 saml credential_process profiles (the keys `saml --all-roles` writes) share
 * its fedlogin_idp_url. After one sign-in through the form, every renewal goes headless through
 * the browser's session, and the SAMLResponse it brings back is kept in the secret store for its
 * few minutes, single-flight per IdP: the IdP counts its responses, the STS double its calls and the
 * role of each.
 */

const ROLES = TWELVE_SAML_ROLES;

describeWith(['chromium'], '12 roles of one IdP renewed after expiry: one IdP round trip', () => {
  let idp: SamlIdp;
  let sts: StsEndpoint;
  let home: TempHome;
  let env: NodeJS.ProcessEnv;
  const runs: RunCliResult[] = [];

  const credentialProcess = async (profile: string) => {
    const result = await runCli(['credential-process', '--profile', profile], {
      env: { ...env, FEDLOGIN_DEBUG: '1' },
      timeoutMs: 120_000,
    });
    runs.push(result);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as { AccessKeyId: string; Expiration: string };
  };
  /** each answer is the role its profile names: the STS call that issued its key was for that role */
  const expectRightRoles = (printed: { AccessKeyId: string }[]) => {
    printed.forEach((creds, i) => {
      expect(sts.issued.find((c) => c.accessKeyId === creds.AccessKeyId)?.roleArn).toBe(ROLES[i]!.roleArn);
    });
  };
  const store = () => createFileStore({ env });
  const keptKey = () => assertionKey({ idpUrl: idp.ssoUrl }, env);

  /** An hour later: every profile's cached credentials and the kept assertion have run out. */
  const timePasses = () =>
    letRenewalsExpire(
      env,
      ROLES.map((r) => r.profile),
      [idp.ssoUrl],
    );

  beforeAll(async () => {
    idp = await startSamlIdp({ roles: roleAttributeValues(ROLES), sessionDuration: 3600 });
    sts = await startStsEndpoint({
      roles: Object.fromEntries(ROLES.map((r) => [r.roleArn, { maxSessionDuration: 3600 }])),
    });
    addSamlToSts(sts, {
      providers: Object.fromEntries(ROLES.map((r) => [r.provider, { certPem: idp.certPem }])),
    });
    home = await makeTempHome();
    env = { ...home.env, AWS_ENDPOINT_URL_STS: sts.url, FEDLOGIN_BROWSER_LOOPBACK_ONLY: '1' };
    await writeAwsConfig(
      home,
      ...ROLES.map((r) =>
        profileSection(
          r.profile,
          {
            fedlogin_flow: 'saml',
            fedlogin_idp_url: idp.ssoUrl,
            fedlogin_role_arn: r.roleArn,
            region: 'us-east-1',
            fedlogin_managed_by: `saml:${idp.ssoUrl}`,
            fedlogin_browser: SAML_TEST_BROWSER,
          },
          { credentialProcess: 'installed' },
        ),
      ),
    );
    // the person signs in once, through the IdP's form: the browser profile now holds the session
    const first = await samlLoginThroughForm(home, idp, sts.url, ['--role-arn', ROLES[0]!.roleArn]);
    runs.push(first);
    expect(first.code, first.stderr).toBe(0);
    expect(idp.stats).toMatchObject({ formsShown: 1, logins: 1, responses: 1 });
  }, 180_000);
  afterAll(async () => {
    await idp?.close();
    await sts?.close();
    await home?.cleanup();
  });
  beforeEach(() => timePasses());

  it('12 credential-process runs one after the other: 1 IdP round trip, 12 AssumeRoleWithSAML, each its role', async () => {
    const before = { responses: idp.stats.responses, sts: sts.count('AssumeRoleWithSAML') };
    const printed = [];
    for (const { profile } of ROLES) printed.push(await credentialProcess(profile));
    expect(idp.stats.responses - before.responses).toBe(1);
    expect(idp.stats.formsShown).toBe(1);
    expect(sts.count('AssumeRoleWithSAML') - before.sts).toBe(12);
    expectRightRoles(printed);
    expect(runs.at(-1)!.stderr).toMatch(
      /reused the IdP's assertion from \d+ s ago for role arn:aws:iam::666666666666:role\/admin/,
    );
    expect(runs.at(-12)!.stderr).toMatch(/kept the IdP's assertion \(12 roles\) for other renewals/);
  }, 300_000);

  it('12 credential-process runs started at once: 1 IdP round trip, 12 AssumeRoleWithSAML, each its role', async () => {
    const before = { responses: idp.stats.responses, sts: sts.count('AssumeRoleWithSAML') };
    const printed = await Promise.all(ROLES.map(({ profile }) => credentialProcess(profile)));
    expect(idp.stats.responses - before.responses).toBe(1);
    expect(idp.stats.formsShown).toBe(1);
    expect(sts.count('AssumeRoleWithSAML') - before.sts).toBe(12);
    expectRightRoles(printed);
    // and the answers are cached now: a second round touches neither the IdP nor STS
    await Promise.all(ROLES.map(({ profile }) => credentialProcess(profile)));
    expect(idp.stats.responses - before.responses).toBe(1);
    expect(sts.count('AssumeRoleWithSAML') - before.sts).toBe(12);
  }, 300_000);

  it('a kept assertion STS refuses as expired costs one fresh sign-in, not a failure', async () => {
    // kept and good by its own dates, but STS says ExpiredToken
    await credentialProcess(ROLES[0]!.profile); // signs in, keeps the assertion
    await timePasses();
    const kept = parseAssertionEntry(await store().get(keptKey()))!;
    await store().set(keptKey(), serializeAssertionEntry({ ...kept, usableUntil: Date.now() + 120_000 }));
    const before = { responses: idp.stats.responses, sts: sts.count('AssumeRoleWithSAML') };
    sts.failNext(1, {
      code: 'ExpiredTokenException',
      message: 'Token must not be expired',
      status: 400,
      action: 'AssumeRoleWithSAML',
    });
    const printed = await credentialProcess(ROLES[3]!.profile);
    expect(idp.stats.responses - before.responses).toBe(1);
    expect(sts.count('AssumeRoleWithSAML') - before.sts).toBe(2);
    expect(sts.issued.find((c) => c.accessKeyId === printed.AccessKeyId)?.roleArn).toBe(ROLES[3]!.roleArn);
    expect(runs.at(-1)!.stderr).toMatch(/reused the IdP's assertion/);
    expect(runs.at(-1)!.stderr).toMatch(/STS says the SAML assertion has expired; signing in once more/);
    // the fresh one replaced the refused one, and serves the next role
    const replaced = parseAssertionEntry(await store().get(keptKey()))!;
    expect(replaced.samlResponse).not.toBe(kept.samlResponse);
    await credentialProcess(ROLES[4]!.profile);
    expect(idp.stats.responses - before.responses).toBe(1);

    // an entry whose assertion is past its NotOnOrAfter is not even sent: one sign-in, one STS call
    await timePasses();
    const expired = await idp.signedResponse('alice', { notOnOrAfter: new Date(Date.now() - 10_000) });
    await store().set(
      keptKey(),
      serializeAssertionEntry({
        samlResponse: expired,
        capturedAt: Date.now() - 60_000,
        usableUntil: Date.now() + 120_000,
        roles: ROLES.map((r) => r.roleArn),
      }),
    );
    const mid = { responses: idp.stats.responses, sts: sts.count('AssumeRoleWithSAML') };
    await credentialProcess(ROLES[5]!.profile);
    expect(idp.stats.responses - mid.responses).toBe(1);
    expect(sts.count('AssumeRoleWithSAML') - mid.sts).toBe(1);
    expect(runs.at(-1)!.stderr).toMatch(/no kept SAML assertion to reuse for this IdP: its NotOnOrAfter/);
  }, 300_000);

  it('the kept assertion is a secret: never printed, a 0600 file in a 0700 folder; logout removes it', async () => {
    await credentialProcess(ROLES[0]!.profile);
    const kept = parseAssertionEntry(await store().get(keptKey()))!;
    expect(kept.roles).toHaveLength(12);
    const file = join(cacheDir(env), `${keptKey()}.json`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(cacheDir(env))).mode & 0o777).toBe(0o700);
    const secrets = [kept.samlResponse, idp.lastResponse!].flatMap((s) => [s.slice(0, 48), s.slice(-48)]);
    for (const run of runs) for (const secret of secrets) expect(run.stdout + run.stderr).not.toContain(secret);

    const one = await runCli(['logout', '--profile', ROLES[2]!.profile], { env });
    expect(one.code, one.stderr).toBe(0);
    expect(one.stderr).toMatch(/removed .*the IdP's kept SAML assertion \(file store\)/);
    expect(await store().get(keptKey())).toBeUndefined();
    await credentialProcess(ROLES[1]!.profile);
    expect(await store().get(keptKey())).toBeDefined();
    const all = await runCli(['logout', '--all'], { env });
    expect(all.code, all.stderr).toBe(0);
    expect(await store().get(keptKey())).toBeUndefined();
    expect((await readdir(cacheDir(env))).filter((f) => f.startsWith('saml-assertion-'))).toEqual([]);
  }, 300_000);
});
