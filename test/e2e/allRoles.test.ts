import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lookUpCache } from '../../src/cli/credentialProcess.js';
import { getProfile, listProfiles, parseIniDocument } from '../../src/store/iniDocument.js';
import { type FederationEndpoint, startFederationEndpoint } from '../support/aws/federationEndpoint.js';
import { startMoto } from '../support/aws/moto.js';
import { type StsEndpoint, startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { addSamlToSts } from '../support/aws/stsSaml.js';
import { makeTempHome, runCli, type TempHome } from '../support/cli/runCli.js';
import { describeWith } from '../support/harness/component.js';
import { type SamlIdp, startSamlIdp } from '../support/idp/samlIdp.js';
import { NETWORK_LAB_COMPONENTS, networkLabForSuite } from '../support/network/lab.js';
import { consumerMatrix } from './consumers.support.js';

/**
 * `fedlogin saml --all-roles`: one assertion with 12 roles over 6 accounts becomes 12 renewing
 * credential_process profiles in ~/.aws/config (tagged saml:<idp url>), each with its cache entry
 * filled from that one assertion, so the AWS CLI's first call is a cache hit (no IdP, no STS).
 * Account names come from --account-aliases and from the AWS role-selection page (the federation
 * stand-in's POST /saml); --dry-run writes nothing, --prune removes what the IdP no longer grants,
 * a person's own profile of the same name is left alone, --output credentials-file keeps static keys.
 */

const ACCOUNTS = ['111111111111', '222222222222', '333333333333', '444444444444', '555555555555', '666666666666'];
const ROLE_NAMES = ['Admin', 'ReadOnly'];
const roleArn = (account: string, role: string) => `arn:aws:iam::${account}:role/${role}`;
const providerArn = (account: string) => `arn:aws:iam::${account}:saml-provider/corp-idp`;
const ALL = ACCOUNTS.flatMap((a) => ROLE_NAMES.map((r) => `${roleArn(a, r)},${providerArn(a)}`));
/** 1111 has an alias on the command line (and a different name at AWS), 2222 and 3333 names at AWS only */
const AWS_NAMES = {
  '111111111111': 'aws-name-ignored',
  '222222222222': 'Team Blue',
  '333333333333': 'shared\u001b[31m',
};
const ALIASES = '111111111111=prod';
const expectedName = (account: string, role: string) =>
  `${{ '111111111111': 'prod', '222222222222': 'Team-Blue', '333333333333': 'shared-31m' }[account] ?? account}-${role}`;

let idp: SamlIdp;
let sts: StsEndpoint;
let fed: FederationEndpoint;
let home: TempHome;

beforeAll(async () => {
  idp = await startSamlIdp({ roles: ALL, sessionDuration: 3600 });
  sts = await startStsEndpoint({
    roles: Object.fromEntries(
      ACCOUNTS.flatMap((a) => ROLE_NAMES.map((r) => [roleArn(a, r), { maxSessionDuration: 3600 }])),
    ),
  });
  addSamlToSts(sts, {
    providers: Object.fromEntries(ACCOUNTS.map((a) => [providerArn(a), { certPem: idp.certPem }])),
  });
  fed = await startFederationEndpoint({ accountNames: AWS_NAMES });
});
afterAll(async () => {
  await idp?.close();
  await sts?.close();
  await fed?.close();
});
beforeEach(async () => {
  home = await makeTempHome();
  sts.reset();
  fed.requests.length = 0;
});
afterEach(async () => home.cleanup());

const env = () => ({ ...home.env, AWS_ENDPOINT_URL_STS: sts.url, FEDLOGIN_SIGNIN_ENDPOINT: fed.url });
const cli = (args: string[]) => runCli(args, { env: env(), timeoutMs: 60_000 });

async function assertionFile(roles = ALL): Promise<string> {
  const file = join(home.home, 'response.b64');
  await writeFile(file, await idp.signedResponse('alice', { roles }));
  return file;
}

const allRoles = async (extra: string[] = [], roles = ALL) =>
  cli(['saml', '--assertion-file', await assertionFile(roles), '--idp-url', idp.ssoUrl, '--all-roles', ...extra]);

const config = () => readFile(home.awsConfigFile, 'utf8').catch(() => '');
const tag = () => `saml:${idp.ssoUrl}`;
const tagged = (text: string) =>
  listProfiles(parseIniDocument(text), 'config').filter(
    (name) => getProfile(parseIniDocument(text), 'config', name)?.fedlogin_managed_by === tag(),
  );
/** `aws sts get-caller-identity --profile P --endpoint-url URL` with the AWS CLI v1 or v2 (consumers.support.ts) */
function awsCli(id: 'aws-cli-v1' | 'aws-cli-v2', endpoint: string) {
  const consumer = consumerMatrix({ endpoint: () => endpoint, buildDir: () => home.home }).consumers.find(
    (c) => c.id === id,
  )!;
  return (profile: string, env: Record<string, string>) => consumer.run(profile, env);
}
/** the credential-process cache hit, as the launcher runs it (no flow, no network) */
const cacheHit = (profile: string) => lookUpCache({ profile, debug: false }, env()).answer !== undefined;

describe('fedlogin saml --all-roles (assertion file, STS endpoint, role-selection page)', () => {
  it('12 roles over 6 accounts: 12 tagged renewing profiles, 12 cache entries, names from aliases and AWS', async () => {
    const mine = '# my own settings\n[default]\nregion = eu-west-1\n\n[profile Team-Blue-Admin]\nregion = us-east-2\n';
    await writeFile(home.awsConfigFile, mine);
    const result = await allRoles(['--account-aliases', ALIASES, '--region', 'eu-central-1']);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code, result.stderr).toBe(0);
    const text = await config();
    // every byte of the person's file is still there, their [Team-Blue-Admin] untouched
    expect(text.startsWith(mine)).toBe(true);
    expect(result.stderr).toContain(
      '[profile Team-Blue-Admin] left alone: a profile of this name exists and was not written by fedlogin',
    );
    const names = tagged(text);
    expect(names).toHaveLength(11);
    expect(names.sort()).toEqual(
      ACCOUNTS.flatMap((a) => ROLE_NAMES.map((r) => expectedName(a, r)))
        .filter((n) => n !== 'Team-Blue-Admin')
        .sort(),
    );
    const doc = parseIniDocument(text);
    const profile = getProfile(doc, 'config', '444444444444-ReadOnly')!;
    expect(profile).toMatchObject({
      fedlogin_flow: 'saml',
      fedlogin_idp_url: idp.ssoUrl,
      fedlogin_role_arn: roleArn('444444444444', 'ReadOnly'),
      region: 'eu-central-1',
      fedlogin_managed_by: tag(),
    });
    expect(profile.credential_process).toMatch(/ credential-process --profile 444444444444-ReadOnly$/);
    // one POST to the role-selection page, one AssumeRoleWithSAML per role, the escape never printed
    expect(fed.requests.filter((r) => r.path === '/saml')).toHaveLength(1);
    // one AssumeRoleWithSAML per written role: none for the person's profile
    expect(sts.count('AssumeRoleWithSAML')).toBe(11);
    expect(result.stderr).not.toContain('\u001b');
    // the 11 written profiles are cache hits; the person's profile is not fedlogin's
    for (const name of names) expect(cacheHit(name), name).toBe(true);
    expect(result.stderr).toContain('11 profiles ready to use from the cache');
  });

  it('--dry-run prints the diff and writes nothing, asks STS nothing; --prune removes only what is no longer granted', async () => {
    const first = await allRoles(['--account-aliases', ALIASES]);
    expect(first.code, first.stderr).toBe(0);
    const before = await config();
    sts.reset();
    const minus = ALL.filter((r) => !r.startsWith(roleArn('555555555555', 'Admin')));

    const dry = await allRoles(['--account-aliases', ALIASES, '--dry-run', '--prune'], minus);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toBe('- [profile 555555555555-Admin]\n');
    expect(dry.stderr).toContain('nothing was written');
    expect(await config()).toBe(before);
    expect(sts.count('AssumeRoleWithSAML')).toBe(0);

    const keep = await allRoles(['--account-aliases', ALIASES], minus);
    expect(keep.code, keep.stderr).toBe(0);
    expect(keep.stderr).toContain('1 no longer granted (--prune removes them)');
    expect(await config()).toBe(before);

    const pruned = await allRoles(['--account-aliases', ALIASES, '--prune'], minus);
    expect(pruned.code, pruned.stderr).toBe(0);
    const after = await config();
    // the file minus exactly that section: every other byte kept
    const section = /\[profile 555555555555-Admin\]\n(?:[^[\n].*\n)*\n?/.exec(before)![0];
    expect(after).toBe(before.replace(section, ''));
    expect(tagged(after)).toHaveLength(11);
    expect(pruned.stderr).toMatch(/0 profiles written, 1 removed, 11 unchanged/);
  });

  it('a renamed setting updates the tagged profiles; a setting left off is removed from them', async () => {
    expect((await allRoles(['--account-aliases', ALIASES, '--duration', '2h'])).code).toBe(0);
    expect(getProfile(parseIniDocument(await config()), 'config', 'prod-Admin')?.fedlogin_duration).toBe('2h');
    const again = await allRoles(['--account-aliases', ALIASES, '--dry-run']);
    expect(again.stdout).toContain('~ [profile prod-Admin]\n-   fedlogin_duration = 2h\n~ [profile prod-ReadOnly]');
    expect(again.stdout.match(/^~ /gm)).toHaveLength(12);
    expect((await allRoles(['--account-aliases', ALIASES])).code).toBe(0);
    expect(getProfile(parseIniDocument(await config()), 'config', 'prod-Admin')?.fedlogin_duration).toBeUndefined();
  });

  it('--no-account-names-from-aws asks nothing; a failing page is one notice and the IDs', async () => {
    const off = await allRoles(['--no-account-names-from-aws', '--dry-run']);
    expect(off.code, off.stderr).toBe(0);
    expect(fed.requests.filter((r) => r.path === '/saml')).toHaveLength(0);
    expect(off.stdout).toContain('+ [profile 222222222222-Admin]');
    const failing = await startFederationEndpoint({ samlPage: 'fail' });
    try {
      const result = await runCli(
        ['saml', '--assertion-file', await assertionFile(), '--idp-url', idp.ssoUrl, '--all-roles', '--dry-run'],
        { env: { ...env(), FEDLOGIN_SIGNIN_ENDPOINT: failing.url } },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr.match(/Account names from AWS: .*HTTP 500/g)).toHaveLength(1);
      expect(result.stdout).toContain('+ [profile 111111111111-Admin]');
    } finally {
      await failing.close();
    }
  });

  it('--output credentials-file still writes static keys to ~/.aws/credentials and no config profile', async () => {
    const result = await allRoles(['--account-aliases', ALIASES, '--output', 'credentials-file']);
    expect(result.code, result.stderr).toBe(0);
    const credentials = await readFile(home.awsCredentialsFile, 'utf8');
    expect(credentials).toMatch(/\[prod-Admin\]\naws_access_key_id = ASIA/);
    expect(credentials).toMatch(/\[Team-Blue-ReadOnly\]\naws_access_key_id = ASIA/);
    expect(await config()).toBe('');
    expect(sts.count('AssumeRoleWithSAML')).toBe(12);
  });

  it('refused before anything: an assertion file alone (cannot renew), a template with an unknown field', async () => {
    const result = await cli(['saml', '--assertion-file', await assertionFile(), '--all-roles']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no IdP URL was given/);
    expect(sts.count('AssumeRoleWithSAML')).toBe(0);
    const template = await allRoles(['--profile-template', '{account}-{nope}']);
    expect(template.code).toBe(2);
    expect(template.stderr).toMatch(/unknown field \{nope\}/);
    expect(fed.requests).toHaveLength(0);
    expect(await config()).toBe('');
  });

  describeWith([...NETWORK_LAB_COMPONENTS], 'behind a corporate proxy, no endpoint override', () => {
    const SIGNIN_HOST = 'signin.aws.amazon.com';
    const lab = networkLabForSuite({ names: [SIGNIN_HOST] });
    beforeAll(() => lab.route(SIGNIN_HOST, new URL(fed.url).origin));

    it("the names come from the assertion's recipient, https://signin.aws.amazon.com/saml, through the proxy", async () => {
      const result = await runCli(
        ['saml', '--assertion-file', await assertionFile(), '--idp-url', idp.ssoUrl, '--all-roles', '--dry-run'],
        // the lab's proxy and CA; FEDLOGIN_SIGNIN_ENDPOINT left out: the real host name is asked for
        { env: { ...home.env, ...lab.env(), AWS_ENDPOINT_URL_STS: sts.url }, timeoutMs: 60_000 },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).not.toContain('Account names from AWS');
      expect(result.stdout).toContain('+ [profile Team-Blue-Admin]');
      expect(fed.requests.filter((r) => r.path === '/saml')).toHaveLength(1);
      const connects = await lab.connects(SIGNIN_HOST);
      expect(connects.at(-1)).toMatchObject({ result: 'TCP_TUNNEL', status: 200 });
    });
  });

  describeWith(['moto_server', 'aws-cli-v2'], 'against moto', () => {
    it("moto's credentials (one role: moto answers 500 to multi-role assertions) serve the AWS CLI from the cache", async () => {
      const moto = await startMoto();
      try {
        const one = [ALL[0]!];
        const motoEnv = { ...home.env, AWS_ENDPOINT_URL_STS: moto.url, FEDLOGIN_SIGNIN_ENDPOINT: fed.url };
        const result = await runCli(
          [
            'saml',
            '--assertion-file',
            await assertionFile(one),
            '--idp-url',
            idp.ssoUrl,
            '--all-roles',
            // one role: AWS's page would go straight to the console, and names no account
            '--no-account-names-from-aws',
          ],
          { env: motoEnv, timeoutMs: 60_000 },
        );
        expect(result.code, result.stderr).toBe(0);
        expect(tagged(await config())).toEqual(['111111111111-Admin']);
        const responses = idp.stats.responses;
        const identity = await awsCli('aws-cli-v2', moto.url)('111111111111-Admin', motoEnv);
        // moto's own key for the role's account (its default account is 123456789012)
        expect(identity.Account).toBe('111111111111');
        expect(idp.stats.responses).toBe(responses);
      } finally {
        await moto.close();
      }
    });
  });

  describeWith(['aws-cli-v1', 'aws-cli-v2'], 'the AWS CLI on a written profile', () => {
    it('gets the credentials from the cache: no IdP response, no STS role call', async () => {
      expect((await allRoles(['--account-aliases', ALIASES])).code).toBe(0);
      const responses = idp.stats.responses;
      const assumed = sts.count('AssumeRoleWithSAML');
      for (const [cliName, profile, account] of [
        ['aws-cli-v1', 'Team-Blue-ReadOnly', '222222222222'],
        ['aws-cli-v2', '666666666666-Admin', '666666666666'],
      ] as const) {
        // credential-process sees the environment the profiles were written in (the STS endpoint is in the cache key)
        const identity = await awsCli(cliName, sts.url)(profile, { ...home.env, AWS_ENDPOINT_URL_STS: sts.url });
        expect(identity.Account).toBe(account);
      }
      expect(idp.stats.responses).toBe(responses);
      expect(sts.count('AssumeRoleWithSAML')).toBe(assumed);
    });
  });
});
