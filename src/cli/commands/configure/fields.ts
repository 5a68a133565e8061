import path from 'node:path';
import { parseRoleArn } from '../../../aws/arn.js';
import { STS_SESSION_SECONDS } from '../../../aws/durationFallback.js';
import { type FlowName, STORE_CHOICES } from '../../../config/profileValues.js';
import { parseRegion } from '../../../config/resolveRegion.js';
import { requireDuration } from '../../../core/duration.js';
import { usageError } from '../../../core/errors.js';
import { BROWSER_NAMES } from '../../../core/findBrowser.js';
import { parseIdentityPoolId } from '../../../flows/cognito/identityPoolId.js';
import { parseLoginSpec } from '../../../flows/cognito/loginSpec.js';
import { parseIssuerUrl } from '../../../flows/oidc/issuerUrl.js';
import { parseAccountAliases } from '../../../flows/saml/accountAliases.js';
import { parseSsoUrl } from '../../../flows/saml/ssoUrl.js';
import { parseStartUrl } from '../../../flows/sso/resolveSettings.js';
import { CI_NAMES, parseCiName } from '../../../flows/webIdentity/ciName.js';
import { expandHome } from '../../../store/awsPaths.js';

/** What configure has decided so far, by profile key ('token_source' is virtual: never written). */
export type Answers = Record<string, string | undefined>;
/** commander's options of `fedlogin configure`, by attribute name */
export type ConfigureFlags = Record<string, string | boolean | string[] | undefined>;

/**
 * One setting configure can ask for or take from a flag. Pure data plus pure validators: the same
 * parsers the flows use, so configure refuses exactly what a login would refuse.
 */
export interface ConfigureField {
  /** the profile key written (fedlogin_role_arn), or a virtual key that is not written */
  key: string;
  /** the flag that sets it, as a person types it (named in "missing" errors) */
  flag: string;
  /** the prompt (and, in errors, the setting's name) */
  message: string;
  /** the prompt when it depends on earlier answers */
  messageFor?: (answers: Answers) => string;
  /**
   * an optional input: what leaving it empty means, shown with the prompt. Blank gives that when
   * nothing is offered; when a value is offered (the profile's), Enter keeps it and "-" gives that.
   */
  blank?: string | ((answers: Answers) => string);
  /** the value offered when the profile has none */
  suggest?: (answers: Answers) => string | undefined;
  kind: 'input' | 'select' | 'confirm';
  choices?: readonly string[];
  /** a line about each choice (select) */
  choiceDescriptions?: Readonly<Record<string, string>>;
  /** asked and written only when this holds; otherwise the key is removed from the profile */
  when?: (answers: Answers) => boolean;
  required?: (answers: Answers) => boolean;
  /** throws a FedloginError naming `origin`; returns the value to write (normalized) */
  validate?: (value: string, origin: string) => string;
  /** taken from flags only, never asked (the less common settings) */
  flagOnly?: boolean;
  /** not written to the profile (a choice that decides which keys are) */
  virtual?: boolean;
  /** the value the flags give, when it is not simply flags[attribute of flag] */
  fromFlags?: (flags: ConfigureFlags) => string | undefined;
  /** the value the existing profile gives, when it is not simply existing[key] */
  fromExisting?: (existing: Readonly<Record<string, string>>) => string | undefined;
}

const always = () => true;
const roleArn = (value: string, origin: string) => parseRoleArn(value, origin).arn;
const duration = (value: string, origin: string) => String(requireDuration(value, STS_SESSION_SECONDS, origin));

function browser(value: string, origin: string): string {
  const v = value.trim();
  if (v.includes('/') || v.includes('\\') || (BROWSER_NAMES as readonly string[]).includes(v)) return v;
  throw usageError('BROWSER_INVALID', `${origin} "${value}" is neither a path nor one of ${BROWSER_NAMES.join(', ')}.`);
}

function logins(value: string, origin: string): string {
  const entries = value.split(/[\s,]+/).filter(Boolean);
  if (entries.length === 0) throw usageError('COGNITO_LOGIN_MISSING', `${origin} is empty.`);
  for (const entry of entries) parseLoginSpec(entry, origin);
  return entries.join(',');
}

function choice(choices: readonly string[]) {
  return (value: string, origin: string) => {
    if (choices.includes(value.trim())) return value.trim();
    throw usageError('OPTION_INVALID', `${origin} must be one of ${choices.join(', ')}; got "${value}".`);
  };
}

/** Token files are re-read by every credential_process, from whatever folder the AWS tool runs in. */
const absolutePath = (value: string) => path.resolve(expandHome(value.trim()));

/** The role to assume, asked the same way by every flow that names one. */
const roleArnField = (): ConfigureField => ({
  key: 'fedlogin_role_arn',
  flag: '--role-arn',
  message: 'IAM role ARN to assume',
  kind: 'input',
  required: always,
  validate: roleArn,
});

/** How long the session lasts (flags only), the same for every flow that asks STS for one. */
const durationField = (): ConfigureField => ({
  key: 'fedlogin_duration',
  flag: '--duration',
  message: 'Session length',
  kind: 'input',
  flagOnly: true,
  validate: duration,
});

/** A validator that checks the value with `parse` (which throws naming `origin`) and keeps it as typed, trimmed. */
const checkedWith =
  (parse: (value: string, origin: string) => unknown) =>
  (value: string, origin: string): string => {
    parse(value, origin);
    return value.trim();
  };

const TOKEN_SOURCES = ['file', 'env', 'ci'] as const;

const WEB_IDENTITY: ConfigureField[] = [
  roleArnField(),
  {
    key: 'token_source',
    flag: '--token-file, --token-env or --ci',
    message: 'Where does the OIDC token come from?',
    kind: 'select',
    choices: TOKEN_SOURCES,
    virtual: true,
    required: always,
    validate: choice(TOKEN_SOURCES),
    fromFlags: (f) =>
      f.tokenFile !== undefined ? 'file' : f.ci !== undefined ? 'ci' : f.tokenEnv !== undefined ? 'env' : undefined,
    fromExisting: (e) =>
      e.fedlogin_token_file ? 'file' : e.fedlogin_ci ? 'ci' : e.fedlogin_token_env ? 'env' : undefined,
  },
  {
    key: 'fedlogin_token_file',
    flag: '--token-file',
    message: 'Path of the token file (re-read on every refresh)',
    kind: 'input',
    when: (a) => a.token_source === 'file',
    required: always,
    validate: absolutePath,
  },
  {
    key: 'fedlogin_token_env',
    flag: '--token-env',
    message: 'Environment variable holding the token',
    kind: 'input',
    when: (a) => a.token_source === 'env',
    required: always,
    validate: (v, origin) => {
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(v.trim())) return v.trim();
      throw usageError('OPTION_INVALID', `${origin} is not an environment variable name: "${v}".`);
    },
  },
  {
    key: 'fedlogin_ci',
    flag: '--ci',
    message: 'CI system',
    kind: 'select',
    choices: ['auto', ...CI_NAMES],
    when: (a) => a.token_source === 'ci',
    required: always,
    validate: (v) => parseCiName(v.trim()),
  },
  { key: 'fedlogin_audience', flag: '--audience', message: 'Token audience', kind: 'input', flagOnly: true },
  {
    key: 'fedlogin_role_session_name',
    flag: '--role-session-name',
    message: 'Role session name',
    kind: 'input',
    flagOnly: true,
  },
  durationField(),
];

const SAML: ConfigureField[] = [
  {
    key: 'fedlogin_idp_url',
    flag: '--idp-url',
    message: "The AWS app's IdP-initiated sign-on URL",
    kind: 'input',
    required: always,
    validate: parseSsoUrl,
  },
  { ...roleArnField(), message: 'IAM role ARN', required: undefined, blank: 'choose at sign-in' },
  {
    key: 'fedlogin_browser',
    flag: '--browser',
    message: `Browser: a path or ${BROWSER_NAMES.join('|')}`,
    kind: 'input',
    blank: 'the first found',
    validate: browser,
  },
  {
    key: 'fedlogin_account_aliases',
    flag: '--account-aliases',
    message: 'Account names',
    kind: 'input',
    flagOnly: true,
    validate: checkedWith(parseAccountAliases),
  },
  durationField(),
];

/** How to sign in at an OpenID Provider: the oidc flow's, and cognito's OIDC login. */
const OIDC_SIGN_IN: ConfigureField[] = [
  {
    key: 'fedlogin_issuer',
    flag: '--issuer',
    message: 'OIDC issuer URL',
    kind: 'input',
    required: always,
    validate: checkedWith(parseIssuerUrl),
  },
  {
    key: 'fedlogin_client_id',
    flag: '--client-id',
    message: 'OIDC client ID (a public, native app client)',
    kind: 'input',
    required: always,
    validate: (v) => v.trim(),
  },
  {
    key: 'fedlogin_device',
    flag: '--device',
    message: 'Use the device flow (a URL and a code) instead of a browser on this machine?',
    kind: 'confirm',
  },
  { key: 'fedlogin_scope', flag: '--scope', message: 'Scopes', kind: 'input', flagOnly: true },
];
const [ISSUER, CLIENT_ID, DEVICE, SCOPE] = OIDC_SIGN_IN as [
  ConfigureField,
  ConfigureField,
  ConfigureField,
  ConfigureField,
];

const OIDC: ConfigureField[] = [ISSUER, CLIENT_ID, roleArnField(), DEVICE, SCOPE, durationField()];

/** How a Cognito user signs in: at an OpenID Provider (fedlogin signs in), or with token files. */
const COGNITO_SIGN_INS = ['oidc', 'login-files'] as const;
const cognitoOidc = (a: Answers) => a.fedlogin_guest !== 'true' && a.cognito_sign_in === 'oidc';

const COGNITO: ConfigureField[] = [
  {
    key: 'fedlogin_identity_pool_id',
    flag: '--identity-pool-id',
    message: 'Identity pool ID (REGION:UUID)',
    kind: 'input',
    required: always,
    validate: (v, o) => parseIdentityPoolId(v, o).id,
  },
  { key: 'fedlogin_guest', flag: '--guest', message: 'Guest (unauthenticated) access?', kind: 'confirm' },
  {
    key: 'cognito_sign_in',
    flag: '--issuer or --login',
    message: 'How do users sign in?',
    kind: 'select',
    choices: COGNITO_SIGN_INS,
    choiceDescriptions: {
      oidc: 'fedlogin signs in at an OpenID Provider (browser or device code) and renews silently',
      'login-files': 'ID tokens that something else writes to files (KEY=@FILE)',
    },
    virtual: true,
    when: (a) => a.fedlogin_guest !== 'true',
    required: always,
    validate: choice(COGNITO_SIGN_INS),
    fromFlags: (f) =>
      f.issuer !== undefined ? 'oidc' : Array.isArray(f.login) && f.login.length > 0 ? 'login-files' : undefined,
    fromExisting: (e) => (e.fedlogin_issuer ? 'oidc' : e.fedlogin_login ? 'login-files' : undefined),
  },
  ...OIDC_SIGN_IN.map((field) => ({ ...field, when: cognitoOidc })),
  {
    key: 'fedlogin_login',
    flag: '--login',
    message: 'Logins, KEY=@FILE (comma-separated)',
    kind: 'input',
    when: (a) => a.fedlogin_guest !== 'true' && a.cognito_sign_in === 'login-files',
    required: always,
    validate: logins,
    fromFlags: (f) => (Array.isArray(f.login) && f.login.length > 0 ? f.login.join(',') : undefined),
  },
  {
    key: 'fedlogin_basic',
    flag: '--basic',
    message: 'Basic flow (assume a role you name) instead of the enhanced flow?',
    kind: 'confirm',
  },
  { ...roleArnField(), when: (a) => a.fedlogin_basic === 'true' },
  {
    key: 'fedlogin_custom_role_arn',
    flag: '--custom-role-arn',
    message: 'Custom role ARN',
    kind: 'input',
    when: (a) => a.fedlogin_basic !== 'true',
    flagOnly: true,
    validate: roleArn,
  },
];

/** The region of the identity pool answered (cognito), else undefined. */
function poolRegion(answers: Answers): string | undefined {
  const id = answers.fedlogin_identity_pool_id;
  if (!id) return undefined;
  try {
    return parseIdentityPoolId(id).region;
  } catch {
    return undefined;
  }
}

const COMMON: ConfigureField[] = [
  {
    key: 'region',
    flag: '--region',
    message: 'AWS region',
    // a Cognito identity pool ID carries its region: fedlogin calls Cognito there whatever this says
    messageFor: (a) => {
      const pool = poolRegion(a);
      return pool ? `AWS region (the identity pool ID's is ${pool})` : 'AWS region';
    },
    blank: (a) => (poolRegion(a) ? 'none; Cognito is still called there' : "the default of the role's partition"),
    suggest: poolRegion,
    kind: 'input',
    validate: (v, origin) => parseRegion(v, origin),
  },
  {
    key: 'fedlogin_store',
    flag: '--store',
    message: 'Secret store',
    kind: 'select',
    choices: STORE_CHOICES,
    flagOnly: true,
    validate: choice(STORE_CHOICES),
  },
];

/**
 * sso: the profile names its sso-session, account and role; the session's start URL and region
 * are virtual here (they go into [sso-session NAME], written by action.ts).
 */
const SSO: ConfigureField[] = [
  {
    key: 'sso_session',
    flag: '--sso-session',
    message: 'sso-session name (one sign-in shared by its profiles)',
    kind: 'input',
    required: always,
    validate: (value, origin) => {
      if (/^[A-Za-z0-9_.@+-]+$/.test(value.trim())) return value.trim();
      throw usageError('OPTION_INVALID', `${origin} "${value}" may hold only letters, digits and . _ @ + -.`);
    },
  },
  {
    key: 'sso_start_url',
    flag: '--sso-start-url',
    message: 'AWS access portal URL (e.g. https://my-company.awsapps.com/start)',
    kind: 'input',
    required: always,
    virtual: true,
    validate: (value, origin) => parseStartUrl(value.trim(), origin),
  },
  {
    key: 'sso_region',
    flag: '--sso-region',
    message: 'IAM Identity Center region',
    kind: 'input',
    required: always,
    virtual: true,
    validate: (value, origin) => parseRegion(value, origin),
  },
  {
    key: 'sso_account_id',
    flag: '--sso-account-id',
    message: 'AWS account id (12 digits)',
    kind: 'input',
    required: always,
    validate: (value, origin) => {
      if (/^\d{12}$/.test(value.trim())) return value.trim();
      throw usageError('OPTION_INVALID', `${origin} "${value}" is not a 12-digit account id.`);
    },
  },
  {
    key: 'sso_role_name',
    flag: '--sso-role-name',
    message: 'Role (permission set) name',
    kind: 'input',
    required: always,
  },
];

const BY_FLOW: Record<FlowName, ConfigureField[]> = {
  'web-identity': WEB_IDENTITY,
  saml: SAML,
  oidc: OIDC,
  cognito: COGNITO,
  sso: SSO,
};

/** The settings of a flow, in the order they are asked. */
export function fieldsFor(flow: FlowName): ConfigureField[] {
  return [...BY_FLOW[flow], ...COMMON];
}

/** '--role-arn' -> 'roleArn', as commander names the attribute. */
export function attributeOf(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
