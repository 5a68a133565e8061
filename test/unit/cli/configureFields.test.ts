/**
 * configure's validators, field by field: each accepts the values a login accepts (normalized as
 * written to ~/.aws/config) and refuses the others with a usage error naming where the value came
 * from. Every validated field of every flow must have cases here.
 */
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Asker, collectAnswers, profileUpdates } from '../../../src/cli/commands/configure/answers.js';
import { attributeOf, type ConfigureField, fieldsFor } from '../../../src/cli/commands/configure/fields.js';
import { FLOW_NAMES, type FlowName } from '../../../src/config/profileValues.js';
import { type FedloginError, isFedloginError } from '../../../src/core/errors.js';

const ROLE = 'arn:aws:iam::123456789012:role/dev';
const POOL = 'us-east-1:0f3c9d2e-7a1b-4c5d-8e9f-0a1b2c3d4e5f';

interface Cases {
  /** [typed, written] */
  good: [string, string][];
  /** [typed, the error code] */
  bad: [string, string][];
}

const CASES: Record<string, Cases> = {
  fedlogin_role_arn: {
    good: [
      [ROLE, ROLE],
      ['arn:aws-cn:iam::123456789012:role/path/dev', 'arn:aws-cn:iam::123456789012:role/path/dev'],
    ],
    bad: [
      ['dev', 'ROLE_ARN_INVALID'],
      ['arn:aws:iam::123456789012:user/dev', 'ROLE_ARN_INVALID'],
      ['arn:aws:iam::1234:role/dev', 'ROLE_ARN_INVALID'],
    ],
  },
  fedlogin_custom_role_arn: { good: [[ROLE, ROLE]], bad: [['not-an-arn', 'ROLE_ARN_INVALID']] },
  token_source: {
    good: [
      ['file', 'file'],
      [' ci ', 'ci'],
      ['env', 'env'],
    ],
    bad: [
      ['stdin', 'OPTION_INVALID'],
      ['', 'OPTION_INVALID'],
    ],
  },
  cognito_sign_in: {
    good: [
      ['oidc', 'oidc'],
      [' login-files ', 'login-files'],
    ],
    bad: [['saml', 'OPTION_INVALID']],
  },
  fedlogin_token_file: {
    good: [
      ['/var/run/token', '/var/run/token'],
      [' ~/token ', path.join(os.homedir(), 'token')],
      ['rel/token', path.resolve('rel/token')],
    ],
    bad: [],
  },
  fedlogin_token_env: {
    good: [
      ['GITLAB_OIDC_TOKEN', 'GITLAB_OIDC_TOKEN'],
      [' _T1 ', '_T1'],
    ],
    bad: [
      ['1TOKEN', 'OPTION_INVALID'],
      ['MY-TOKEN', 'OPTION_INVALID'],
      ['A B', 'OPTION_INVALID'],
    ],
  },
  fedlogin_ci: {
    good: [
      ['auto', 'auto'],
      ['github', 'github'],
      [' azure-devops ', 'azure-devops'],
    ],
    bad: [
      ['jenkins', 'CI_UNKNOWN'],
      ['GitHub', 'CI_UNKNOWN'],
    ],
  },
  fedlogin_duration: {
    good: [
      ['900', '900'],
      ['15m', '900'],
      ['1h', '3600'],
      ['12h', '43200'],
      ['3600s', '3600'],
    ],
    bad: [
      ['899', 'DURATION_INVALID'],
      ['13h', 'DURATION_INVALID'],
      ['soon', 'DURATION_INVALID'],
      ['-1h', 'DURATION_INVALID'],
    ],
  },
  fedlogin_idp_url: {
    good: [
      ['https://idp.example.com/app/aws/sso', 'https://idp.example.com/app/aws/sso'],
      [
        ' https://adfs.example.com/adfs/ls/IdpInitiatedSignOn.aspx?loginToRp=urn:amazon:webservices ',
        'https://adfs.example.com/adfs/ls/IdpInitiatedSignOn.aspx?loginToRp=urn:amazon:webservices',
      ],
      ['http://127.0.0.1:8080/sso', 'http://127.0.0.1:8080/sso'],
      ['http://localhost/sso', 'http://localhost/sso'],
    ],
    bad: [
      ['idp.example.com/sso', 'IDP_URL_INVALID'],
      ['http://idp.example.com/sso', 'IDP_URL_INSECURE'],
      ['ftp://idp.example.com/', 'IDP_URL_INVALID'],
    ],
  },
  fedlogin_browser: {
    good: [
      ['chrome', 'chrome'],
      [' brave ', 'brave'],
      ['/usr/bin/chromium', '/usr/bin/chromium'],
      ['C:\\Chrome\\chrome.exe', 'C:\\Chrome\\chrome.exe'],
    ],
    bad: [
      ['firefox', 'BROWSER_INVALID'],
      ['Chrome', 'BROWSER_INVALID'],
    ],
  },
  fedlogin_account_aliases: {
    good: [
      ['123456789012=prod', '123456789012=prod'],
      [' 123456789012=prod,210987654321=dev ', '123456789012=prod,210987654321=dev'],
    ],
    bad: [
      ['prod=123456789012', 'ACCOUNT_ALIASES_INVALID'],
      ['12345=prod', 'ACCOUNT_ALIASES_INVALID'],
    ],
  },
  fedlogin_issuer: {
    good: [
      ['https://login.example.com', 'https://login.example.com'],
      [' https://login.example.com/realms/dev ', 'https://login.example.com/realms/dev'],
      ['http://127.0.0.1:9000', 'http://127.0.0.1:9000'],
    ],
    bad: [
      ['login.example.com', 'ISSUER_INVALID'],
      ['https://login.example.com/?x=1', 'ISSUER_INVALID'],
      ['https://login.example.com/#f', 'ISSUER_INVALID'],
      ['http://login.example.com', 'ISSUER_INSECURE'],
    ],
  },
  fedlogin_client_id: { good: [[' fedlogin-cli ', 'fedlogin-cli']], bad: [] },
  fedlogin_identity_pool_id: {
    good: [
      [POOL, POOL],
      [` ${POOL} `, POOL],
    ],
    bad: [
      ['0f3c9d2e-7a1b-4c5d-8e9f-0a1b2c3d4e5f', 'IDENTITY_POOL_ID_INVALID'],
      ['us-east-1:not-a-uuid', 'IDENTITY_POOL_ID_INVALID'],
    ],
  },
  fedlogin_login: {
    good: [
      ['accounts.google.com=@/home/me/token', 'accounts.google.com=@/home/me/token'],
      [
        'cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC=@~/t, accounts.google.com=@/x',
        'cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC=@~/t,accounts.google.com=@/x',
      ],
    ],
    bad: [
      ['accounts.google.com=eyJtoken', 'COGNITO_LOGIN_INVALID'],
      ['@/file', 'COGNITO_LOGIN_INVALID'],
      [' , ', 'COGNITO_LOGIN_MISSING'],
    ],
  },
  region: {
    good: [
      ['eu-west-1', 'eu-west-1'],
      [' us-gov-west-1 ', 'us-gov-west-1'],
      ['cn-north-1', 'cn-north-1'],
    ],
    bad: [
      ['europe', 'REGION_INVALID'],
      ['EU-WEST-1', 'REGION_INVALID'],
      ['eu-west', 'REGION_INVALID'],
    ],
  },
  sso_session: { good: [[' corp ', 'corp']], bad: [['my corp', 'OPTION_INVALID']] },
  sso_start_url: {
    good: [[' https://d-1234.awsapps.com/start ', 'https://d-1234.awsapps.com/start']],
    bad: [
      ['http://d-1234.awsapps.com/start', 'SSO_SETTINGS_INVALID'],
      ['awsapps', 'SSO_SETTINGS_INVALID'],
    ],
  },
  sso_region: { good: [[' eu-west-1 ', 'eu-west-1']], bad: [['europe', 'REGION_INVALID']] },
  sso_account_id: { good: [[' 111111111111 ', '111111111111']], bad: [['1111', 'OPTION_INVALID']] },
  fedlogin_store: {
    good: [
      ['auto', 'auto'],
      ['keychain', 'keychain'],
      [' file ', 'file'],
    ],
    bad: [['vault', 'OPTION_INVALID']],
  },
};

const validated = FLOW_NAMES.flatMap((flow) => fieldsFor(flow).map((field) => ({ flow, field }))).filter(
  ({ field }) => field.validate,
);

function refusal(field: ConfigureField, value: string): FedloginError {
  try {
    field.validate!(value, field.flag);
  } catch (error) {
    if (isFedloginError(error)) return error;
    throw error;
  }
  throw new Error(`${field.key} accepted "${value}"`);
}

describe('configure validators', () => {
  it('every validated field has cases, and every case names a real field', () => {
    expect(validated.length).toBeGreaterThan(15);
    expect(new Set(validated.map(({ field }) => field.key))).toEqual(new Set(Object.keys(CASES)));
  });

  describe.each(validated.map(({ flow, field }) => [`${flow} ${field.key} (${field.flag})`, field] as const))(
    '%s',
    (_, field) => {
      const cases = CASES[field.key]!;
      it.each(cases.good)('accepts "%s" and writes "%s"', (typed, written) => {
        expect(field.validate!(typed, field.flag)).toBe(written);
      });
      it.each(cases.bad)('refuses "%s" (%s), naming where it came from', (typed, code) => {
        const error = refusal(field, typed);
        expect(error.code).toBe(code);
        expect(error.kind).toBe('usage');
        expect(error.message).toContain(field.flag);
      });
    },
  );

  it('a choice field only offers values its validator accepts', () => {
    for (const { field } of validated.filter(({ field }) => field.choices)) {
      for (const choice of field.choices!) expect(field.validate!(choice, field.flag)).toBe(choice);
    }
  });

  it('names the attribute commander gives each flag', () => {
    expect(attributeOf('--role-arn')).toBe('roleArn');
    expect(attributeOf('--identity-pool-id')).toBe('identityPoolId');
    expect(attributeOf('--guest')).toBe('guest');
  });
});

/** A person at configure's prompts, answering from a script; records each prompt and what was offered. */
function scriptedAsker(replies: Record<string, string | boolean>) {
  const asked: { message: string; default?: string | boolean | undefined }[] = [];
  const reply = (message: string) => {
    const key = Object.keys(replies).find((k) => message.startsWith(k));
    if (key === undefined) throw new Error(`unexpected prompt: ${message}`);
    return replies[key]!;
  };
  const asker: Asker = {
    async input(q) {
      asked.push({ message: q.message, default: q.default });
      const typed = String(reply(q.message));
      const value = typed === '' ? (q.default ?? '') : typed;
      const verdict = q.validate(value);
      if (verdict !== true) throw new Error(`refused at "${q.message}": ${verdict}`);
      return value;
    },
    async select(q) {
      asked.push({ message: q.message, default: q.default });
      const value = String(reply(q.message));
      return value === '' ? (q.default ?? q.choices[0]!) : value;
    },
    async confirm(q) {
      asked.push({ message: q.message, default: q.default });
      return reply(q.message) as boolean;
    },
  };
  return { asker, asked };
}

const collect = (flow: FlowName, asker: Asker, existing: Record<string, string> = {}) =>
  collectAnswers({ fields: fieldsFor(flow), flags: {}, existing, asker, commandLine: 'fedlogin configure' });

describe('configure prompts (issue 15 item 6)', () => {
  it('an optional value shown as the default can be cleared with "-", and the prompt says so', async () => {
    const { asker, asked } = scriptedAsker({
      "The AWS app's": '',
      'IAM role ARN': '-',
      Browser: '-',
      'AWS region': '',
    });
    const answers = await collect('saml', asker, {
      fedlogin_idp_url: 'https://idp.example.com/sso',
      fedlogin_role_arn: ROLE,
      fedlogin_browser: 'chrome',
      region: 'eu-west-1',
    });
    expect(answers).toMatchObject({ fedlogin_role_arn: undefined, fedlogin_browser: undefined, region: 'eu-west-1' });
    expect(asked.find((q) => q.message.startsWith('IAM role ARN'))).toEqual({
      message: 'IAM role ARN ("-": choose at sign-in)',
      default: ROLE,
    });
    expect(profileUpdates(fieldsFor('saml'), answers, { fedlogin_role_arn: ROLE, fedlogin_browser: 'chrome' })).toEqual(
      [
        ['fedlogin_idp_url', 'https://idp.example.com/sso'],
        ['fedlogin_role_arn', undefined],
        ['fedlogin_browser', undefined],
        ['region', 'eu-west-1'],
      ],
    );
  });

  it('with nothing to offer, blank is blank and the prompt says what it means', async () => {
    const { asker, asked } = scriptedAsker({
      "The AWS app's": 'https://idp.example.com/sso',
      IAM: '',
      Browser: '',
      AWS: '',
    });
    const answers = await collect('saml', asker);
    expect(answers.fedlogin_role_arn).toBeUndefined();
    expect(asked.map((q) => q.message)).toContain('IAM role ARN (blank: choose at sign-in)');
    expect(asked.map((q) => q.message)).toContain("AWS region (blank: the default of the role's partition)");
  });

  it('guided Cognito offers the OIDC sign-in, and takes the region from the identity pool ID', async () => {
    const { asker, asked } = scriptedAsker({
      'Identity pool ID': POOL,
      'Guest (unauthenticated)': false,
      'How do users sign in?': 'oidc',
      'OIDC issuer URL': 'https://login.example.com',
      'OIDC client ID': 'cli',
      'Use the device flow': false,
      'Basic flow': false,
      'AWS region': '',
    });
    const answers = await collect('cognito', asker);
    expect(answers).toMatchObject({
      fedlogin_issuer: 'https://login.example.com',
      fedlogin_client_id: 'cli',
      fedlogin_device: 'false',
      fedlogin_login: undefined,
      region: 'us-east-1',
    });
    const region = asked.find((q) => q.message.startsWith('AWS region'))!;
    expect(region).toEqual({
      message: 'AWS region (the identity pool ID\'s is us-east-1) ("-": none; Cognito is still called there)',
      default: 'us-east-1',
    });
    expect(asked.map((q) => q.message).join('\n')).not.toMatch(/partition/);
  });

  it('a Cognito profile with login files keeps them, and switching it to OIDC drops them', async () => {
    const existing = { fedlogin_identity_pool_id: POOL, fedlogin_login: 'accounts.google.com=@/t' };
    const keep = scriptedAsker({ Identity: '', Guest: false, 'How do': '', Logins: '', Basic: false, AWS: '' });
    const kept = await collect('cognito', keep.asker, existing);
    expect(keep.asked.find((q) => q.message.startsWith('How do'))!.default).toBe('login-files');
    expect(kept.fedlogin_login).toBe('accounts.google.com=@/t');
    const change = scriptedAsker({
      Identity: '',
      Guest: false,
      'How do': 'oidc',
      'OIDC issuer': 'https://login.example.com',
      'OIDC client': 'cli',
      'Use the device': true,
      Basic: false,
      AWS: '',
    });
    const changed = await collect('cognito', change.asker, existing);
    expect(profileUpdates(fieldsFor('cognito'), changed, existing)).toContainEqual(['fedlogin_login', undefined]);
  });
});
