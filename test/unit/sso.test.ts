import { describe, expect, it } from 'vitest';
import { ssoOidcEndpointFor, ssoPortalEndpointFor } from '../../src/aws/ssoEndpoints.js';
import { translateSsoError } from '../../src/aws/ssoErrors.js';
import { ProfileValues } from '../../src/config/profileValues.js';
import { parseStartUrl, sha1Hex } from '../../src/flows/sso/resolveSettings.js';
import {
  applySync,
  checkTemplate,
  DEFAULT_SYNC_TEMPLATE,
  describePlan,
  MANAGED_KEY,
  planSync,
  profileNameFor,
} from '../../src/flows/sso/sync.js';
import { ssoTokenJson } from '../../src/flows/sso/tokenCache.js';
import { getSection, parseIniDocument } from '../../src/store/iniDocument.js';
import { setSectionKeys } from '../../src/store/iniEdit.js';

/** The pure parts of the sso flow: names, the sync plan, the cache format, endpoints, errors. */

const SHA1_MY_SSO = '0ad374308c5a4e22f723adf10145eafad7c4031c';

const attempt = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as { code: string; message: string; kind: string };
  }
  throw new Error('expected an error');
};

describe('sso settings', () => {
  it('flow(): a profile with sso_session, account and role is the sso flow without fedlogin_flow', () => {
    const values = (v: Record<string, string>) =>
      new ProfileValues({ name: 'p', file: '/h/.aws/config', section: 'profile p', values: v });
    expect(values({ sso_session: 'corp', sso_account_id: '111111111111', sso_role_name: 'R' }).flow()).toBe('sso');
    expect(values({ sso_start_url: 'https://x', sso_account_id: '111111111111', sso_role_name: 'R' }).flow()).toBe(
      'sso',
    );
    expect(values({ sso_session: 'corp' }).flow()).toBeUndefined();
    expect(values({ fedlogin_flow: 'oidc', sso_session: 'corp' }).flow()).toBe('oidc');
  });

  it('the cache file name is the sha1 hex of the session name, as botocore and the SDKs compute it', () => {
    // botocore: hashlib.sha1("my-sso".encode("utf-8")).hexdigest()
    expect(sha1Hex('my-sso')).toBe(SHA1_MY_SSO);
    expect(sha1Hex('a')).toBe('86f7e437faa5a7fce15d1ddcb9eaeaea377667b8');
  });

  it('start URLs: https, or http on loopback only', () => {
    expect(parseStartUrl('https://d-123.awsapps.com/start', 'x')).toBe('https://d-123.awsapps.com/start');
    expect(parseStartUrl('http://127.0.0.1:8080/start', 'x')).toBe('http://127.0.0.1:8080/start');
    expect(attempt(() => parseStartUrl('http://corp.example/start', '--sso-start-url')).code).toBe(
      'SSO_SETTINGS_INVALID',
    );
    expect(attempt(() => parseStartUrl('not a url', '--sso-start-url')).code).toBe('SSO_SETTINGS_INVALID');
  });

  it('endpoints: variables as the SDKs honour them, else the partition of the region', () => {
    expect(ssoOidcEndpointFor('eu-west-1', {})).toBe('https://oidc.eu-west-1.amazonaws.com');
    expect(ssoPortalEndpointFor('eu-west-1', {})).toBe('https://portal.sso.eu-west-1.amazonaws.com');
    expect(ssoOidcEndpointFor('cn-north-1', {})).toBe('https://oidc.cn-north-1.amazonaws.com.cn');
    expect(ssoPortalEndpointFor('us-gov-west-1', {})).toBe('https://portal.sso.us-gov-west-1.amazonaws.com');
    expect(
      ssoOidcEndpointFor('eu-west-1', { AWS_ENDPOINT_URL: 'http://a', AWS_ENDPOINT_URL_SSO_OIDC: 'http://b' }),
    ).toBe('http://b');
    expect(
      ssoPortalEndpointFor('eu-west-1', { AWS_ENDPOINT_URL: 'http://a', AWS_ENDPOINT_URL_SSO_OIDC: 'http://b' }),
    ).toBe('http://a');
  });
});

describe('the token cache format', () => {
  it('writes the AWS CLI v2 shape: RFC 3339 UTC whole seconds, unknown fields kept', () => {
    const json = JSON.parse(
      ssoTokenJson({
        startUrl: 'https://d.awsapps.com/start',
        region: 'eu-west-1',
        accessToken: 'aoa-token',
        expiresAt: new Date('2026-11-30T10:00:00.789Z'),
        refreshToken: 'aor-token',
        clientId: 'cid',
        clientSecret: 'csecret',
        registrationExpiresAt: new Date('2027-02-28T10:00:00Z'),
        extra: { somethingElse: 1 },
      }),
    ) as Record<string, unknown>;
    expect(json).toEqual({
      somethingElse: 1,
      startUrl: 'https://d.awsapps.com/start',
      region: 'eu-west-1',
      accessToken: 'aoa-token',
      expiresAt: '2026-11-30T10:00:00Z',
      clientId: 'cid',
      clientSecret: 'csecret',
      registrationExpiresAt: '2027-02-28T10:00:00Z',
      refreshToken: 'aor-token',
    });
  });
});

describe('sso sync', () => {
  const grant = (accountName: string, roleName: string, accountId = '111111111111') => ({
    accountId,
    accountName,
    roleName,
  });

  it('profile names from the template, sanitised', () => {
    expect(profileNameFor(DEFAULT_SYNC_TEMPLATE, grant('Prod Account (EU)', 'AWSReadOnly/Access'), 'corp')).toBe(
      'Prod-Account-EU-AWSReadOnly-Access',
    );
    expect(profileNameFor('{session}.{account_id}.{role_name}', grant('x', 'Admin'), 'corp')).toBe(
      'corp.111111111111.Admin',
    );
    expect(checkTemplate('{account_id}-{role_name}')).toBe('{account_id}-{role_name}');
    expect(attempt(() => checkTemplate('{role_name}')).code).toBe('SSO_SYNC_TEMPLATE_INVALID');
    expect(attempt(() => checkTemplate('{account_name}-{role}')).message).toContain('{role}');
  });

  it("plans writes for new and own profiles, never for a person's, and prunes only its own", () => {
    const text = [
      '[sso-session corp]',
      'sso_start_url = https://d.awsapps.com/start',
      '',
      '[profile prod-Admin]',
      'region = us-west-2',
      '',
      '[profile prod-ReadOnly]',
      'sso_session = corp',
      'sso_account_id = 111111111111',
      'sso_role_name = ReadOnly',
      'output = json',
      `${MANAGED_KEY} = sso-sync:corp`,
      '',
      '[profile gone-Old]',
      `${MANAGED_KEY} = sso-sync:corp`,
      '',
      '[profile other-Old]',
      `${MANAGED_KEY} = sso-sync:other`,
      '',
    ].join('\n');
    const plan = planSync(
      parseIniDocument(text),
      [grant('prod', 'Admin'), grant('prod', 'ReadOnly'), grant('dev', 'Dev')],
      {
        session: 'corp',
        template: DEFAULT_SYNC_TEMPLATE,
      },
    );
    expect(plan.skipped.map((s) => s.name)).toEqual(['prod-Admin']);
    expect(plan.unchanged).toEqual(['prod-ReadOnly']);
    expect(plan.write.map((w) => w.profile.name)).toEqual(['dev-Dev']);
    expect(plan.stale).toEqual(['gone-Old']);

    const kept = applySync(text, plan, false);
    expect(kept.startsWith(text)).toBe(true);
    const pruned = applySync(text, plan, true);
    expect(pruned).not.toContain('[profile gone-Old]');
    expect(pruned).toContain('[profile other-Old]');
    expect(pruned).toContain('[profile prod-Admin]\nregion = us-west-2');
    expect(pruned).toContain('output = json'); // a key a person added to a synced profile stays
    expect(describePlan(plan, true)).toContain('- [profile gone-Old]');
    expect(describePlan(plan, true)).toContain('+   sso_role_name = Dev');
  });

  it('two roles that sanitise to one name: the second is skipped, not overwritten', () => {
    const plan = planSync(parseIniDocument(''), [grant('a b', 'R'), grant('a-b', 'R', '222222222222')], {
      session: 'corp',
      template: DEFAULT_SYNC_TEMPLATE,
    });
    expect(plan.write).toHaveLength(1);
    expect(plan.skipped[0]!.reason).toContain('{account_id}');
  });
});

describe('setSectionKeys', () => {
  it('edits or appends a non-profile section, keeping every other byte', () => {
    const text = '# head\n[sso-session corp]\nsso_region = us-east-1 \n; note\n\n[profile x]\nregion = eu\n';
    const edited = setSectionKeys(text, 'sso-session corp', [
      ['sso_region', 'eu-west-1'],
      ['sso_start_url', 'https://d.awsapps.com/start'],
    ]);
    expect(getSection(parseIniDocument(edited), 'sso-session corp')).toEqual({
      sso_region: 'eu-west-1',
      sso_start_url: 'https://d.awsapps.com/start',
    });
    expect(edited.startsWith('# head\n[sso-session corp]\n')).toBe(true);
    expect(edited.endsWith('; note\n\n[profile x]\nregion = eu\n')).toBe(true);
    const appended = setSectionKeys(text, 'sso-session new', [['sso_region', 'eu-west-1']]);
    expect(appended).toBe(`${text}\n[sso-session new]\nsso_region = eu-west-1\n`);
  });
});

describe('translateSsoError', () => {
  const context = {
    action: 'GetRoleCredentials' as const,
    session: 'sso-session corp',
    signInCommand: 'fedlogin sso login --sso-session corp',
  };
  it('names the sign-in command when the portal refuses the token', () => {
    const error = translateSsoError(
      Object.assign(new Error('Session token not found or invalid'), {
        name: 'UnauthorizedException',
        $metadata: { httpStatusCode: 401 },
      }),
      context,
    );
    expect(error.code).toBe('SSO_TOKEN_REJECTED');
    expect(error.hint).toContain('fedlogin sso login --sso-session corp');
  });
  it('a network error is unreachable', () => {
    const error = translateSsoError(
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      context,
    );
    expect(error.code).toBe('SSO_UNREACHABLE');
    expect(error.kind).toBe('unreachable');
  });
});
