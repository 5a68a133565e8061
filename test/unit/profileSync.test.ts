import { describe, expect, it } from 'vitest';
import { isKnownFedloginKey, keysForeignTo } from '../../src/config/profileKeys.js';
import { ProfileValues } from '../../src/config/profileValues.js';
import { parseRoleArnList } from '../../src/flows/oidc/roleArns.js';
import {
  applyPlan,
  describePlan,
  MANAGED_KEY,
  planProfiles,
  summarize,
  type WantedProfile,
} from '../../src/flows/profileSync.js';
import {
  oidcTag,
  rolePlanOptions,
  roleProfile,
  roleProfileSettingKeys,
  roleProfileSettings,
  samlTag,
} from '../../src/flows/roleProfiles.js';
import {
  decodeHtmlText,
  mergeAccountNames,
  parseAwsAccountNames,
  profileSafeName,
  samlSigninUrl,
} from '../../src/flows/saml/awsAccountNames.js';
import type { SamlAssertionInfo } from '../../src/flows/saml/parseAssertion.js';
import { getProfile, parseIniDocument } from '../../src/store/iniDocument.js';
import { roleSelectionPage } from '../support/aws/federationEndpoint.js';

/** The generalised profile planner (sso sync, saml/oidc --all-roles), role profiles and AWS account names. */

const TAG = 'saml:https://idp.example.com/app';
const options = { tag: TAG, clashHint: 'use a --profile-template with {account_id}', owns: ['fedlogin_duration'] };
const want = (name: string, role: string, extra: [string, string][] = []): WantedProfile => ({
  name,
  what: `${role} in 111111111111`,
  keys: [['fedlogin_flow', 'saml'], ['fedlogin_role_arn', `arn:aws:iam::111111111111:role/${role}`], ...extra],
});

const attempt = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected an error');
};

describe('planProfiles', () => {
  const text = [
    '# my config',
    '[profile mine]',
    'region = eu-west-1',
    '',
    '[profile p-Admin]',
    'fedlogin_flow = saml',
    'fedlogin_role_arn = arn:aws:iam::111111111111:role/Admin',
    'output = json',
    `${MANAGED_KEY} = ${TAG}`,
    '',
    '[profile p-Old]',
    `${MANAGED_KEY} = ${TAG}`,
    '',
    '[profile q-Other]',
    `${MANAGED_KEY} = saml:https://other.example.com/app`,
    '',
    '[profile p-Dur]',
    'fedlogin_flow = saml',
    'fedlogin_role_arn = arn:aws:iam::111111111111:role/Dur',
    'fedlogin_duration = 2h',
    `${MANAGED_KEY} = ${TAG}`,
    '',
  ].join('\n');
  const doc = parseIniDocument(text);

  it("writes new and own profiles, leaves a person's and another tag's alone, finds the stale", () => {
    const plan = planProfiles(
      doc,
      [
        want('p-Admin', 'Admin'),
        want('mine', 'Mine'),
        want('q-Other', 'Other'),
        want('p-New', 'New'),
        want('p-Dur', 'Dur'),
      ],
      options,
    );
    expect(plan.unchanged).toEqual(['p-Admin']);
    expect(plan.skipped.map((s) => s.name)).toEqual(['mine', 'q-Other']);
    expect(plan.skipped[0]!.reason).toContain('not written by fedlogin');
    expect(plan.skipped[1]!.reason).toContain('another sync (saml:https://other.example.com/app)');
    expect(plan.write.map((w) => w.profile.name)).toEqual(['p-New', 'p-Dur']);
    // a key the sync owns and no longer wants goes; the tag is always last
    expect(plan.write[1]!.profile.drop).toEqual(['fedlogin_duration']);
    expect(plan.write[0]!.profile.keys.at(-1)).toEqual([MANAGED_KEY, TAG]);
    expect(plan.stale).toEqual(['p-Old']);
    expect(summarize(plan, true)).toMatchObject({ written: 2, removed: 1, unchanged: 1, stale: 0 });
    expect(summarize(plan, false).kept.sort()).toEqual(['p-Admin', 'p-Dur', 'p-New']);
  });

  it('applies only what it planned: other bytes stay, --prune removes only its own stale profiles', () => {
    const plan = planProfiles(doc, [want('p-Admin', 'Admin'), want('p-Dur', 'Dur'), want('p-New', 'New')], options);
    const kept = applyPlan(text, plan, false);
    expect(kept).toContain('[profile p-Old]');
    const pruned = applyPlan(text, plan, true);
    expect(pruned).not.toContain('[profile p-Old]');
    expect(pruned.startsWith('# my config\n[profile mine]\nregion = eu-west-1\n')).toBe(true);
    expect(pruned).toContain(`[profile q-Other]\n${MANAGED_KEY} = saml:https://other.example.com/app`);
    expect(pruned).toContain('output = json');
    const after = parseIniDocument(pruned);
    expect(getProfile(after, 'config', 'p-Dur')?.fedlogin_duration).toBeUndefined();
    expect(getProfile(after, 'config', 'p-New')?.[MANAGED_KEY]).toBe(TAG);
    // applying the same wish again changes nothing
    expect(
      applyPlan(
        pruned,
        planProfiles(after, [want('p-Admin', 'Admin'), want('p-Dur', 'Dur'), want('p-New', 'New')], options),
        true,
      ),
    ).toBe(pruned);
  });

  it('the diff: + for new, ~ and -/+ for changed, - for pruned, ! for left alone', () => {
    const plan = planProfiles(doc, [want('p-New', 'New'), want('p-Dur', 'Dur'), want('mine', 'Mine')], options);
    const diff = describePlan(plan, true).split('\n');
    expect(diff).toContain('+ [profile p-New]');
    expect(diff).toContain('~ [profile p-Dur]');
    expect(diff).toContain('-   fedlogin_duration = 2h');
    expect(diff).toContain('- [profile p-Old]');
    expect(diff).toContain('- [profile p-Admin]');
    expect(diff.some((l) => l.startsWith('! [profile mine] left alone'))).toBe(true);
    expect(describePlan(plan, false)).toContain('[profile p-Old] is no longer granted (--prune removes it)');
  });

  it('an empty name, "default" and a second role with the same name are skipped, never overwritten', () => {
    const plan = planProfiles(
      parseIniDocument(''),
      [want('', 'A'), want('default', 'B'), want('x', 'C'), want('x', 'D')],
      options,
    );
    expect(plan.write.map((w) => w.profile.name)).toEqual(['x']);
    expect(plan.skipped.map((s) => s.name)).toEqual(['(empty)', 'default', 'x']);
    expect(plan.skipped[2]!.reason).toContain('{account_id}');
  });
});

describe('role profiles', () => {
  it('credential_process, the flow, the settings, the role and the region, in that order', () => {
    const profile = roleProfile(
      { name: 'prod-Admin', roleArn: 'arn:aws:iam::111111111111:role/Admin', what: 'Admin' },
      {
        flow: 'saml',
        launcher: ['/opt/fed login/bin/fedlogin.js'],
        settings: [['fedlogin_idp_url', 'https://idp.example.com/app']],
        region: 'eu-west-1',
        platform: 'linux',
      },
    );
    expect(profile.keys).toEqual([
      ['credential_process', "'/opt/fed login/bin/fedlogin.js' credential-process --profile prod-Admin"],
      ['fedlogin_flow', 'saml'],
      ['fedlogin_idp_url', 'https://idp.example.com/app'],
      ['fedlogin_role_arn', 'arn:aws:iam::111111111111:role/Admin'],
      ['region', 'eu-west-1'],
    ]);
  });

  it("settings: the flag's value, else the base profile's; only the flow's keys, never the role list or tag", () => {
    const base = new ProfileValues({
      name: 'corp',
      file: '/x/config',
      section: 'profile corp',
      values: {
        fedlogin_flow: 'oidc',
        fedlogin_issuer: 'https://login.example.com',
        fedlogin_client_id: 'cli',
        fedlogin_scope: 'openid offline_access',
        fedlogin_role_arns: 'arn:aws:iam::111111111111:role/A',
        fedlogin_managed_by: 'x',
        fedlogin_store: 'file',
        fedlogin_idp_url: 'https://not-oidc.example.com',
      },
    } as never);
    expect(roleProfileSettings('oidc', { fedlogin_client_id: 'other', fedlogin_duration: '2h' }, base)).toEqual([
      ['fedlogin_issuer', 'https://login.example.com'],
      ['fedlogin_client_id', 'other'],
      ['fedlogin_scope', 'openid offline_access'],
      ['fedlogin_duration', '2h'],
      ['fedlogin_store', 'file'],
    ]);
    const saml = roleProfileSettingKeys('saml');
    expect(saml).toContain('fedlogin_acs_url_pattern');
    expect(saml).toContain('fedlogin_policy_arns');
    expect(saml).not.toContain('fedlogin_role_arn');
    expect(saml).not.toContain('fedlogin_write_credentials');
    expect(rolePlanOptions('saml', samlTag('https://i/app')).tag).toBe('saml:https://i/app');
    expect(oidcTag('https://login.example.com', 'cli')).toBe('oidc:https://login.example.com cli');
  });

  it('doctor and configure know the keys role profiles carry: the tag and session policies on every flow', () => {
    for (const key of ['fedlogin_managed_by', 'fedlogin_policy_arns', 'fedlogin_policy_file', 'fedlogin_role_arns'])
      expect(isKnownFedloginKey(key), key).toBe(true);
    expect(keysForeignTo('saml', ['fedlogin_managed_by', 'fedlogin_policy_file', 'fedlogin_idp_url'])).toEqual([]);
    expect(keysForeignTo('sso', ['fedlogin_managed_by'])).toEqual([]);
    expect(keysForeignTo('saml', ['fedlogin_role_arns'])).toEqual(['fedlogin_role_arns']);
  });

  it('fedlogin_role_arns: commas or blanks, validated, duplicates dropped, one partition', () => {
    const roles = parseRoleArnList(
      'arn:aws:iam::111111111111:role/a, arn:aws:iam::222222222222:role/path/b\narn:aws:iam::111111111111:role/a',
      'fedlogin_role_arns',
    );
    expect(roles.map((r) => r.arn)).toEqual([
      'arn:aws:iam::111111111111:role/a',
      'arn:aws:iam::222222222222:role/path/b',
    ]);
    expect(attempt(() => parseRoleArnList('arn:aws:iam::1:role/a', 'fedlogin_role_arns')).code).toBe(
      'ROLE_ARN_INVALID',
    );
    expect(attempt(() => parseRoleArnList(' , ', '--role-arns')).code).toBe('ROLE_ARN_MISSING');
    expect(
      attempt(() => parseRoleArnList('arn:aws:iam::111111111111:role/a arn:aws-cn:iam::111111111111:role/a', 'x')).code,
    ).toBe('OPTION_CONFLICT');
  });
});

describe('account names from the AWS role-selection page', () => {
  const assertion = Buffer.from(
    [
      'arn:aws:iam::111111111111:role/Admin,arn:aws:iam::111111111111:saml-provider/idp',
      'arn:aws:iam::111111111111:role/Dev,arn:aws:iam::111111111111:saml-provider/idp',
      'arn:aws:iam::222222222222:role/Ops,arn:aws:iam::222222222222:saml-provider/idp',
      'arn:aws:iam::333333333333:role/Ops,arn:aws:iam::333333333333:saml-provider/idp',
    ].join('\n'),
  ).toString('base64');

  it("reads 'Account: NAME (ID)' blocks of the page's markup, and skips accounts shown by ID only", () => {
    const page = roleSelectionPage(assertion, { '111111111111': 'prod & <main>', '222222222222': 'dev' })!;
    expect(page).toContain('<div class="saml-account-name">Account: prod &amp; &lt;main&gt; (111111111111)</div>');
    expect(page).toContain('<div class="saml-account-name">Account: 333333333333</div>');
    expect([...parseAwsAccountNames(page)]).toEqual([
      ['111111111111', 'prod & <main>'],
      ['222222222222', 'dev'],
    ]);
  });

  it('variants: other attributes and classes, tags inside, entities, blanks; junk gives nothing', () => {
    const html = [
      `<div id="x" class='saml-account-name big'>\n  Account:  <b>team&#32;a</b>&#x2F;b   (444444444444)\n</div>`,
      '<div class="saml-account-name-other">Account: no (555555555555)</div>',
      '<div class="saml-account-name">Account:  (666666666666)</div>',
      '<div class="saml-account-name">Konto: x (777777777777)</div>',
    ].join('');
    expect([...parseAwsAccountNames(html)]).toEqual([['444444444444', 'team a/b']]);
    expect(parseAwsAccountNames('').size).toBe(0);
    expect(parseAwsAccountNames('<div class="saml-account-name">Account: x (1234)').size).toBe(0);
    expect(decodeHtmlText('&amp;&lt;&#65;&#x42;&bogus;&#0;')).toBe('&<AB&bogus;&#0;');
  });

  it('profile-safe names, aliases first, escape characters gone', () => {
    expect(profileSafeName('Prod Account (EU)')).toBe('Prod-Account-EU');
    expect(profileSafeName('\u001b[31mred\u001b[0m')).toBe('31mred-0m');
    expect(profileSafeName('///')).toBe('');
    const merged = mergeAccountNames(
      new Map([['111111111111', 'mine']]),
      new Map([
        ['111111111111', 'aws name'],
        ['222222222222', 'team b'],
        ['333333333333', '!!!'],
      ]),
    );
    expect([...merged]).toEqual([
      ['111111111111', 'mine'],
      ['222222222222', 'team-b'],
    ]);
  });

  it('posts only to an AWS sign-in ACS of the partition, or to the test override', () => {
    const info = (recipient: string | undefined, partition = 'aws') =>
      ({ recipient, destination: undefined, roles: [{ partition }] }) as unknown as SamlAssertionInfo;
    expect(samlSigninUrl(info('https://signin.aws.amazon.com/saml'), undefined)).toBe(
      'https://signin.aws.amazon.com/saml',
    );
    expect(samlSigninUrl(info('https://us-east-2.signin.aws.amazon.com/saml'), undefined)).toBe(
      'https://us-east-2.signin.aws.amazon.com/saml',
    );
    expect(samlSigninUrl(info('https://signin.amazonaws.cn/saml', 'aws-cn'), undefined)).toBe(
      'https://signin.amazonaws.cn/saml',
    );
    expect(samlSigninUrl(info('https://signin.amazonaws.cn/saml'), undefined)).toBeUndefined();
    expect(samlSigninUrl(info('https://evil.example.com/saml'), undefined)).toBeUndefined();
    expect(samlSigninUrl(info('https://signin.aws.amazon.com.evil.example/saml'), undefined)).toBeUndefined();
    expect(samlSigninUrl(info('http://signin.aws.amazon.com/saml'), undefined)).toBeUndefined();
    expect(samlSigninUrl(info(undefined), 'http://127.0.0.1:9/federation')).toBe('http://127.0.0.1:9/saml');
  });
});
