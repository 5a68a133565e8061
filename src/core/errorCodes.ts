/**
 * Every error code fedlogin can show, with its kind and what it means. The kind decides the exit
 * code (src/cli/exitCodes.ts); docs/errors.md is generated from this table (`npm run docs:errors`).
 *
 * The factories in errors.ts take a code of their own kind only (`usageError` a usage code, and so
 * on), so a typo or a code used with the wrong kind is a type error. Only types leave this module:
 * the bundled hot paths carry codes as plain strings, not this table. Keep the codes sorted.
 */

/** What each kind means; the exit code of each kind is in src/cli/exitCodes.ts. */
export const ERROR_KINDS = {
  usage: 'bad flags, missing settings, malformed files or input',
  refused: 'the IdP, STS or another service said no',
  unreachable: 'a service could not be reached, or kept failing after retries',
  aborted: 'the person stopped it (Ctrl-C, closed the window)',
  internal: 'a bug in fedlogin',
} as const;

export type ErrorKind = keyof typeof ERROR_KINDS;

export interface ErrorCodeInfo {
  kind: ErrorKind;
  /** one line for docs/errors.md */
  meaning: string;
}

export const ERROR_CODES = {
  ABORTED: { kind: 'aborted', meaning: 'The person stopped it: Ctrl-C, a closed browser window, a cancelled prompt.' },
  ACCOUNT_ALIASES_INVALID: { kind: 'usage', meaning: 'An account alias is not written as ACCOUNT_ID=NAME.' },
  ACS_PATTERN_INVALID: {
    kind: 'usage',
    meaning: 'The ACS URL pattern does not start with https:// (or http:// on loopback).',
  },
  ASSERTION_FILE_UNREADABLE: { kind: 'usage', meaning: 'The SAML response file (or standard input) cannot be read.' },
  AWS_FILE_CHANGED: {
    kind: 'usage',
    meaning: 'An AWS file changed between the safety check and the read; nothing was written.',
  },
  AWS_FILE_EDIT_INVALID: {
    kind: 'usage',
    meaning: 'fedlogin refused to write an AWS file because the result would not parse.',
  },
  AWS_FILE_INVALID: { kind: 'usage', meaning: 'A line of ~/.aws/config or ~/.aws/credentials cannot be parsed.' },
  AWS_FILE_LINK_UNSAFE: {
    kind: 'usage',
    meaning:
      'A symbolic link on the way to an AWS file belongs to someone other than what it points at (or the links loop).',
  },
  AWS_FILE_NOT_OWNED: {
    kind: 'usage',
    meaning: 'An AWS file or its folder belongs to another user; fedlogin does not write it.',
  },
  AWS_FILE_NOT_REGULAR: { kind: 'usage', meaning: 'An AWS file is a FIFO, a device or a folder, not a regular file.' },
  AWS_FILE_OPEN_TO_OTHERS: {
    kind: 'usage',
    meaning: 'An AWS file or its folder is writable by group or others; fedlogin does not write it.',
  },
  AWS_FILE_UNREADABLE: { kind: 'usage', meaning: 'An AWS file exists but cannot be read.' },
  BROWSER_ATTACH_FAILED: {
    kind: 'unreachable',
    meaning: 'No browser with remote debugging answered at --browser-url (fedlogin_browser_url).',
  },
  BROWSER_DID_NOT_FOLLOW: {
    kind: 'unreachable',
    meaning: 'The browser did not open the one-shot console sign-in address within 2 minutes; it is closed.',
  },
  BROWSER_INVALID: { kind: 'usage', meaning: 'The browser setting is neither a path nor a known browser name.' },
  BROWSER_LAUNCH_FAILED: { kind: 'usage', meaning: 'The browser for the SAML sign-in could not be started.' },
  BROWSER_NOT_FOUND: {
    kind: 'usage',
    meaning: 'No usable Chrome, Chromium, Edge or Brave (or Firefox, where a page is only opened) was found.',
  },
  BROWSER_PROFILE_BUSY: {
    kind: 'usage',
    meaning: "The sign-in browser's profile folder is in use by another browser.",
  },
  BROWSER_PROFILE_INVALID: {
    kind: 'usage',
    meaning: '--browser-profile (fedlogin_browser_profile) is neither a profile name nor an absolute path.',
  },
  BROWSER_PROFILE_UNDRIVABLE: {
    kind: 'usage',
    meaning: 'Google Chrome refuses to be driven in its default profile folder (Chrome 136 and later).',
  },
  BROWSER_UNAVAILABLE: { kind: 'unreachable', meaning: 'No browser could be opened for the console sign-in link.' },
  BROWSER_URL_INVALID: {
    kind: 'usage',
    meaning: '--browser-url (fedlogin_browser_url) is not an http(s) or ws(s) URL on 127.0.0.1, ::1 or localhost.',
  },
  CACHE_DIR_NOT_OWNED: {
    kind: 'usage',
    meaning: 'The cache folder belongs to another user; fedlogin will not keep credentials there.',
  },
  CACHE_DIR_UNUSABLE: { kind: 'usage', meaning: 'The cache folder cannot be created or used (or is not a folder).' },
  CACHE_ENTRY_UNDELETABLE: { kind: 'usage', meaning: 'A cached entry cannot be removed (logout).' },
  CA_BUNDLE_UNREADABLE: {
    kind: 'usage',
    meaning:
      "The CA bundle named by AWS_CA_BUNDLE or the profile's ca_bundle cannot be read or holds no PEM certificate.",
  },
  CI_NOT_DETECTED: { kind: 'usage', meaning: '--ci auto found no CI system it knows.' },
  CI_TOKEN_FAILED: { kind: 'unreachable', meaning: "The CI system's token service answered with an HTTP error." },
  CI_TOKEN_MALFORMED: { kind: 'unreachable', meaning: "The CI system's token service answered without a token." },
  CI_TOKEN_REFUSED: { kind: 'refused', meaning: 'The CI system refused to issue an OIDC token.' },
  CI_TOKEN_UNAVAILABLE: {
    kind: 'usage',
    meaning: 'The CI job was not given what it needs to request an OIDC token (permissions, variables).',
  },
  CI_TOKEN_UNREACHABLE: {
    kind: 'unreachable',
    meaning: "The CI system's token service (or buildkite-agent) could not be reached.",
  },
  CI_UNKNOWN: { kind: 'usage', meaning: 'Unknown --ci value.' },
  COGNITO_BAD_RESPONSE: {
    kind: 'unreachable',
    meaning: 'Cognito Identity answered without the identity, token or credentials asked for.',
  },
  COGNITO_ERROR: {
    kind: 'refused',
    meaning: 'Cognito Identity refused the request for a reason fedlogin does not recognise.',
  },
  COGNITO_EXTERNAL_SERVICE: {
    kind: 'unreachable',
    meaning: 'Cognito Identity could not reach the identity provider behind a login.',
  },
  COGNITO_FLOW_CONFLICT: { kind: 'usage', meaning: 'Settings of the basic and the enhanced Cognito flow are mixed.' },
  COGNITO_GUEST_DISABLED: {
    kind: 'refused',
    meaning: 'The identity pool does not allow guest (unauthenticated) access.',
  },
  COGNITO_INVALID_PARAMETER: { kind: 'usage', meaning: 'Cognito Identity rejected a parameter of the request.' },
  COGNITO_LOGIN_CONFLICT: { kind: 'usage', meaning: 'Both guest access and logins were asked for.' },
  COGNITO_LOGIN_DUPLICATE: { kind: 'usage', meaning: 'The same Cognito login key is given twice.' },
  COGNITO_LOGIN_FILE: { kind: 'usage', meaning: "A Cognito login's token file cannot be read or is empty." },
  COGNITO_LOGIN_INVALID: { kind: 'usage', meaning: 'A Cognito login is not written as KEY=@FILE.' },
  COGNITO_LOGIN_KEY_INVALID: { kind: 'usage', meaning: 'A Cognito login key is not a provider name Cognito accepts.' },
  COGNITO_LOGIN_MISSING: { kind: 'usage', meaning: 'No login for the identity pool (and no --guest).' },
  COGNITO_NOT_AUTHORIZED: { kind: 'refused', meaning: 'The identity pool rejected the login.' },
  COGNITO_OIDC_FLAG_UNUSED: { kind: 'usage', meaning: 'An OIDC login option was given without --issuer.' },
  COGNITO_PARTITION_MISMATCH: {
    kind: 'usage',
    meaning: 'The role and the identity pool are in different AWS partitions.',
  },
  COGNITO_POOL_MISCONFIGURED: {
    kind: 'refused',
    meaning: 'The identity pool is not set up to hand out credentials (roles, trust).',
  },
  COGNITO_POOL_NOT_FOUND: {
    kind: 'usage',
    meaning: 'The identity pool (or the cached identity in it) does not exist.',
  },
  COGNITO_REGION_CONFLICT: { kind: 'usage', meaning: "--region differs from the identity pool's region." },
  COGNITO_THROTTLED: { kind: 'unreachable', meaning: 'Cognito Identity kept throttling after several attempts.' },
  COGNITO_UNAVAILABLE: { kind: 'unreachable', meaning: 'Cognito Identity kept failing (5xx) after several attempts.' },
  COGNITO_UNREACHABLE: { kind: 'unreachable', meaning: 'Cognito Identity could not be reached.' },
  CONFIGURE_VALUE_CONTROL_CHARACTER: {
    kind: 'usage',
    meaning: 'A configure value contains a line break or another control character.',
  },
  CONFIGURE_VALUE_EMPTY: { kind: 'usage', meaning: 'A configure flag was given an empty value.' },
  CONFIGURE_VALUE_MISSING: { kind: 'usage', meaning: 'configure needs a value it is not allowed to ask for.' },
  CONSOLE_NEEDS_SESSION: {
    kind: 'usage',
    meaning: 'Console sign-in needs temporary credentials, and these have no session token.',
  },
  CONSOLE_SIGNIN_FAILED: { kind: 'unreachable', meaning: 'The AWS federation endpoint answered with an HTTP error.' },
  CONSOLE_SIGNIN_INVALID: {
    kind: 'unreachable',
    meaning: 'The AWS federation endpoint answered without a SigninToken.',
  },
  CONSOLE_SIGNIN_REFUSED: { kind: 'refused', meaning: 'The AWS federation endpoint refused the credentials.' },
  CONSOLE_SIGNIN_UNREACHABLE: { kind: 'unreachable', meaning: 'The AWS federation endpoint could not be reached.' },
  CREDENTIALS_PROFILE_DUPLICATE: {
    kind: 'usage',
    meaning: 'The credentials file has the same profile section more than once.',
  },
  CREDENTIALS_PROFILE_STATIC: {
    kind: 'usage',
    meaning: 'The credentials-file profile holds long-term keys fedlogin did not write; it leaves them alone.',
  },
  CREDENTIAL_PROCESS_EXPIRATION: {
    kind: 'usage',
    meaning: 'credential_process output has no Expiration, or one that is not RFC 3339.',
  },
  CREDENTIAL_PROCESS_INVALID_FIELD: { kind: 'usage', meaning: 'A credential_process output field is not a string.' },
  CREDENTIAL_PROCESS_INVALID_JSON: { kind: 'usage', meaning: 'credential_process output is not a JSON object.' },
  CREDENTIAL_PROCESS_MISSING_KEYS: {
    kind: 'usage',
    meaning: 'credential_process output lacks an access key id, secret or session token.',
  },
  CREDENTIAL_PROCESS_VERSION: { kind: 'usage', meaning: 'credential_process output is not Version 1.' },
  DESTINATION_INVALID: { kind: 'usage', meaning: '--destination is neither an http(s) URL nor a console path.' },
  DOTENV_UNREPRESENTABLE: {
    kind: 'usage',
    meaning: 'A value cannot be written as a dotenv line that dotenv readers read back unchanged.',
  },
  DURATION_INVALID: {
    kind: 'usage',
    meaning: 'A session duration is not a duration (900, 15m, 1h30m) between 15 minutes and 12 hours.',
  },
  ENV_FORMAT_UNKNOWN: { kind: 'usage', meaning: 'Unknown output format for env.' },
  ENV_NAME_INVALID: { kind: 'usage', meaning: 'Not a valid environment variable name.' },
  ENV_VALUE_INVALID: { kind: 'usage', meaning: 'A value no environment variable can hold (NUL, lone surrogate).' },
  EXEC_COMMAND_FAILED: { kind: 'usage', meaning: 'The command given to exec could not be started.' },
  EXEC_COMMAND_MISSING: { kind: 'usage', meaning: 'exec was given no command to run.' },
  EXEC_COMMAND_NOT_EXECUTABLE: { kind: 'usage', meaning: 'The command given to exec is not executable.' },
  EXEC_COMMAND_NOT_FOUND: { kind: 'usage', meaning: 'The command given to exec is not on PATH.' },
  EXEC_NESTED: { kind: 'usage', meaning: 'exec was run inside a shell that already runs under fedlogin exec.' },
  EXPIRATION_INVALID: { kind: 'internal', meaning: 'Bug: credentials with an expiration time that cannot be written.' },
  EXTERNAL_ID_INVALID: {
    kind: 'usage',
    meaning:
      'An external ID (external_id, fedlogin_chain_external_id) is not what STS accepts, or does not match the hops.',
  },
  FILE_WRITE_FAILED: { kind: 'usage', meaning: 'A file cannot be written (permissions, disk full, read-only).' },
  GITHUB_ENV_DELIMITER: { kind: 'internal', meaning: 'Bug: no heredoc delimiter found for a $GITHUB_ENV value.' },
  GITHUB_ENV_MISSING: { kind: 'usage', meaning: '--output github outside GitHub Actions ($GITHUB_ENV is not set).' },
  GITHUB_ENV_UNREPRESENTABLE: {
    kind: 'usage',
    meaning: 'A value that $GITHUB_ENV cannot carry unchanged (a trailing carriage return).',
  },
  IDENTITY_POOL_ID_INVALID: { kind: 'usage', meaning: 'Not a Cognito identity pool ID.' },
  IDENTITY_POOL_ID_MISSING: { kind: 'usage', meaning: 'No identity pool ID given.' },
  IDP_UNREACHABLE: { kind: 'unreachable', meaning: "The IdP's sign-on URL could not be opened in the browser." },
  IDP_URL_INSECURE: {
    kind: 'usage',
    meaning: "A SAML IdP's sign-on URL uses http:// on a host that is not loopback.",
  },
  IDP_URL_INVALID: { kind: 'usage', meaning: 'The IdP URL is not an https:// URL (http:// only on loopback).' },
  IDP_URL_MISSING: { kind: 'usage', meaning: 'No IdP URL (and no assertion file) for a SAML sign-in.' },
  INI_KEY_DUPLICATE: { kind: 'usage', meaning: 'A key is given twice in one edit of an AWS file.' },
  INI_KEY_INVALID: { kind: 'usage', meaning: 'A key cannot be written to an AWS file.' },
  INI_VALUE_INVALID: { kind: 'usage', meaning: 'A value cannot be written to an AWS file.' },
  INPUT_TOO_LARGE: {
    kind: 'usage',
    meaning: 'An input file or stdin is larger than fedlogin reads (refused before it is read).',
  },
  INTERNAL: { kind: 'internal', meaning: 'Bug: an edit of an AWS file broke one of its own rules.' },
  ISSUER_INSECURE: { kind: 'usage', meaning: 'An OIDC issuer uses http:// on a host that is not loopback.' },
  ISSUER_INVALID: { kind: 'usage', meaning: 'An OIDC issuer is not an https:// URL without query or fragment.' },
  KEYCHAIN_UNAVAILABLE: {
    kind: 'usage',
    meaning: 'The OS keychain cannot be used here (locked, no Secret Service, module missing).',
  },
  LOCK_FAILED: { kind: 'unreachable', meaning: 'A lock file cannot be created.' },
  LOCK_NOT_REGULAR: {
    kind: 'usage',
    meaning: 'Something other than a lock file (a FIFO, a folder, a link) is at a lock path.',
  },
  LOCK_TIMEOUT: { kind: 'unreachable', meaning: 'Another fedlogin held a lock for longer than the wait allows.' },
  NO_DISPLAY: { kind: 'usage', meaning: 'A SAML sign-in needs a browser window and there is no display.' },
  OIDC_ACCESS_DENIED: { kind: 'refused', meaning: 'The identity provider denied the sign-in (access_denied).' },
  OIDC_CLIENT_ID_MISSING: { kind: 'usage', meaning: 'No OIDC client id given.' },
  OIDC_CLIENT_REFUSED: { kind: 'refused', meaning: 'The identity provider refused client authentication.' },
  OIDC_DEVICE_CODE_EXPIRED: { kind: 'refused', meaning: 'The device code expired before the sign-in was approved.' },
  OIDC_DEVICE_UNSUPPORTED: { kind: 'usage', meaning: 'The identity provider does not offer the device flow.' },
  OIDC_DISCOVERY_INVALID: { kind: 'usage', meaning: "The issuer's discovery document is not usable." },
  OIDC_DISCOVERY_REDIRECT: {
    kind: 'usage',
    meaning: "The issuer's discovery URL redirects elsewhere; the issuer setting is likely an old or alias URL.",
  },
  OIDC_INVALID_GRANT: {
    kind: 'refused',
    meaning:
      'The identity provider refused the grant (invalid_grant: an expired or revoked refresh token, a used code).',
  },
  OIDC_ISSUER_MISMATCH: { kind: 'refused', meaning: 'The ID token comes from another issuer than the one configured.' },
  OIDC_ISSUER_MISSING: { kind: 'usage', meaning: 'No OIDC issuer given.' },
  OIDC_NO_ID_TOKEN: { kind: 'usage', meaning: 'The identity provider returned no ID token.' },
  OIDC_REFUSED: { kind: 'refused', meaning: 'The identity provider refused a request (another OAuth error).' },
  OIDC_RENEWAL_NO_ID_TOKEN: {
    kind: 'usage',
    meaning:
      'The IdP renewed the OIDC sign-in without an ID token (OIDC Core 12.2) and no usable JWT access token; a person must sign in.',
  },
  OIDC_RESPONSE_INVALID: { kind: 'refused', meaning: "The identity provider's response failed validation." },
  OIDC_SIGN_IN_REQUIRED: {
    kind: 'usage',
    meaning: 'The OIDC profile needs a person to sign in, and this run cannot ask.',
  },
  OIDC_STATE_MISMATCH: {
    kind: 'refused',
    meaning: 'The sign-in response does not belong to this login (state mismatch).',
  },
  OIDC_TIMEOUT: { kind: 'refused', meaning: 'No OIDC sign-in was completed in time.' },
  OIDC_UNREACHABLE: {
    kind: 'unreachable',
    meaning: 'The identity provider could not be reached, or answered with an HTTP error.',
  },
  OPTIONAL_MODULE_MISSING: {
    kind: 'usage',
    meaning: 'An optional package (the keychain module, playwright-core) is not installed.',
  },
  OPTION_CONFLICT: { kind: 'usage', meaning: 'Two options that exclude each other were given.' },
  OPTION_INVALID: { kind: 'usage', meaning: 'An option or setting has a value outside its choices or range.' },
  POLICY_ARN_INVALID: {
    kind: 'usage',
    meaning: 'A managed session policy ARN is malformed, or more than 10 were given.',
  },
  POLICY_DOCUMENT_INVALID: {
    kind: 'usage',
    meaning: 'The session policy file cannot be read, is not JSON, or is not a policy document.',
  },
  POLICY_DOCUMENT_TOO_LONG: {
    kind: 'usage',
    meaning: "The session policy is longer than STS's 2,048 characters (whitespace removed).",
  },
  PROFILE_CHAIN_CYCLE: { kind: 'usage', meaning: 'source_profile keys lead back to a profile already in the chain.' },
  PROFILE_CHAIN_INVALID: {
    kind: 'usage',
    meaning: 'A chained profile (source_profile) lacks role_arn, names a missing profile, or also has fedlogin_flow.',
  },
  PROFILE_CHAIN_TOO_DEEP: { kind: 'usage', meaning: 'A chain of source_profile keys is longer than fedlogin follows.' },
  PROFILE_FLOW_MISMATCH: {
    kind: 'usage',
    meaning: "A flow's command (fedlogin saml --profile X) names a chained profile that signs in with another flow.",
  },
  PROFILE_INVALID: {
    kind: 'usage',
    meaning: 'A setting in a profile of the AWS config file is invalid (the message names the key).',
  },
  PROFILE_NAME_INVALID: { kind: 'usage', meaning: 'A name that cannot be a profile section in an AWS file.' },
  PROFILE_NAME_RESERVED: { kind: 'usage', meaning: 'The profile name is __proto__, constructor or prototype.' },
  PROFILE_NOT_FEDLOGIN: {
    kind: 'usage',
    meaning: 'The profile has no fedlogin_flow, so fedlogin cannot log in for it.',
  },
  PROFILE_NOT_FOUND: { kind: 'usage', meaning: 'No such profile in the AWS config file.' },
  PROFILE_REQUIRED: { kind: 'usage', meaning: 'The command needs a profile name.' },
  PROFILE_TEMPLATE_CLASH: { kind: 'usage', meaning: '--profile-template gives two roles the same profile name.' },
  PROFILE_TEMPLATE_INVALID: {
    kind: 'usage',
    meaning: '--profile-template has an unknown field or gives an empty name.',
  },
  PROXY_AUTH_REFUSED: {
    kind: 'refused',
    meaning: 'The proxy asked for credentials (HTTP 407): none in the proxy URL, or it refused them.',
  },
  PROXY_REFUSED: {
    kind: 'refused',
    meaning: 'The proxy refused to open a connection to a host (HTTP 403 or another 4xx).',
  },
  PROXY_SETTING_INVALID: {
    kind: 'usage',
    meaning: 'HTTPS_PROXY, HTTP_PROXY or ALL_PROXY (either case) is not a usable proxy URL.',
  },
  PROXY_UNREACHABLE: {
    kind: 'unreachable',
    meaning: 'The proxy could not be reached, or said it could not reach the host (HTTP 5xx to CONNECT).',
  },
  REGION_INVALID: { kind: 'usage', meaning: 'Not an AWS region name.' },
  REGION_PARTITION_MISMATCH: { kind: 'usage', meaning: 'The region and the role are in different AWS partitions.' },
  ROLE_ARN_INVALID: { kind: 'usage', meaning: 'Not an IAM role ARN.' },
  ROLE_ARN_MISSING: { kind: 'usage', meaning: 'No role to assume given.' },
  SAML_EXPIRED: { kind: 'refused', meaning: 'The SAML assertion has expired (NotOnOrAfter).' },
  SAML_LOGIN_TIMEOUT: { kind: 'usage', meaning: 'No SAML response reached the AWS sign-in endpoint in time.' },
  SAML_MALFORMED: { kind: 'usage', meaning: 'The SAML response is not a readable SAML response.' },
  SAML_NEEDS_SIGN_IN: {
    kind: 'usage',
    meaning: 'The SAML profile needs a person to sign in, and this run cannot open a browser.',
  },
  SAML_NO_RECIPIENT: { kind: 'usage', meaning: 'The SAML assertion has no Recipient.' },
  SAML_NO_ROLES: { kind: 'refused', meaning: 'The SAML assertion grants no AWS role.' },
  SAML_POST_EMPTY: { kind: 'usage', meaning: 'The IdP posted to the AWS sign-in endpoint without a SAMLResponse.' },
  SAML_RECIPIENT: {
    kind: 'usage',
    meaning: 'The SAML assertion is addressed to something other than an AWS sign-in endpoint.',
  },
  SAML_ROLE_CHOICE_NEEDED: {
    kind: 'usage',
    meaning: 'The assertion grants several roles and there is no terminal to ask which one.',
  },
  SAML_ROLE_MALFORMED: { kind: 'usage', meaning: "The SAML assertion's Role attribute has no usable role." },
  SAML_ROLE_NOT_GRANTED: { kind: 'usage', meaning: 'The SAML assertion does not grant the role asked for.' },
  SAML_STATUS_FAILED: { kind: 'refused', meaning: 'The IdP answered with a SAML status other than Success.' },
  SIGNIN_ENDPOINT_INVALID: { kind: 'usage', meaning: 'FEDLOGIN_SIGNIN_ENDPOINT is not an http(s) URL.' },
  SSO_ACCESS_DENIED: {
    kind: 'refused',
    meaning: 'IAM Identity Center did not grant the sign-in (denied in the browser).',
  },
  SSO_BAD_RESPONSE: { kind: 'unreachable', meaning: 'IAM Identity Center answered without the expected fields.' },
  SSO_CLIENT_REFUSED: {
    kind: 'refused',
    meaning: "IAM Identity Center refused fedlogin's client registration (expired or unknown client).",
  },
  SSO_DEVICE_CODE_EXPIRED: { kind: 'refused', meaning: 'The device code expired before the sign-in was approved.' },
  SSO_FAILED: { kind: 'unreachable', meaning: 'An IAM Identity Center call failed for another reason.' },
  SSO_REQUEST_INVALID: {
    kind: 'usage',
    meaning: 'IAM Identity Center refused a request as invalid (start URL, region, scopes).',
  },
  SSO_ROLE_NOT_GRANTED: {
    kind: 'refused',
    meaning: 'The IAM Identity Center sign-in has no access to that account and role.',
  },
  SSO_SESSION_NOT_FOUND: { kind: 'usage', meaning: 'The AWS config file has no such [sso-session NAME] section.' },
  SSO_SETTINGS_INVALID: { kind: 'usage', meaning: 'An sso_* setting is malformed (start URL, region, account id).' },
  SSO_SETTINGS_MISSING: { kind: 'usage', meaning: 'An sso-session or SSO profile lacks a required sso_* setting.' },
  SSO_SIGN_IN_EXPIRED: {
    kind: 'refused',
    meaning: 'The IAM Identity Center sign-in (refresh token or device code) is no longer valid.',
  },
  SSO_SIGN_IN_REQUIRED: {
    kind: 'usage',
    meaning: 'No valid IAM Identity Center token and no terminal to sign in on: run fedlogin sso login.',
  },
  SSO_STATE_MISMATCH: { kind: 'refused', meaning: 'The sign-in redirect does not belong to this login (state).' },
  SSO_SYNC_TEMPLATE_INVALID: { kind: 'usage', meaning: 'The profile name template of sso sync is not usable.' },
  SSO_TIMEOUT: { kind: 'refused', meaning: 'No IAM Identity Center sign-in was completed in the time allowed.' },
  SSO_TOKEN_REJECTED: {
    kind: 'refused',
    meaning: 'The IAM Identity Center portal refused the access token (signed out or expired).',
  },
  SSO_UNREACHABLE: {
    kind: 'unreachable',
    meaning: 'IAM Identity Center (SSO OIDC or the portal) could not be reached.',
  },
  STORE_INVALID: { kind: 'usage', meaning: 'FEDLOGIN_STORE is not one of its choices.' },
  STS_ACCESS_DENIED: { kind: 'refused', meaning: "STS refused to assume the role (the role's trust policy)." },
  STS_BAD_RESPONSE: { kind: 'unreachable', meaning: 'STS answered without complete credentials.' },
  STS_DURATION_TOO_LONG: {
    kind: 'usage',
    meaning: "The requested duration is longer than the role's maximum session duration.",
  },
  STS_ERROR: { kind: 'refused', meaning: 'STS refused the request for a reason fedlogin does not recognise.' },
  STS_IDP_REJECTED_CLAIM: { kind: 'refused', meaning: 'STS rejected a claim of the token or assertion.' },
  STS_INVALID_TOKEN: { kind: 'refused', meaning: 'STS rejected the web identity token (issuer, audience, signature).' },
  STS_POLICY: { kind: 'usage', meaning: 'STS refused the session policy.' },
  STS_POLICY_TOO_LARGE: {
    kind: 'usage',
    meaning:
      "STS's packed form of the session policies (inline policy, managed policy ARNs, session tags) is too large.",
  },
  STS_REGION_DISABLED: { kind: 'refused', meaning: "STS is not activated in this region for the role's account." },
  STS_THROTTLED: { kind: 'unreachable', meaning: 'STS kept throttling after several attempts.' },
  STS_UNAVAILABLE: {
    kind: 'unreachable',
    meaning: 'STS kept failing (5xx, IdP communication) after several attempts.',
  },
  STS_UNREACHABLE: { kind: 'unreachable', meaning: 'STS could not be reached.' },
  STS_VALIDATION: { kind: 'usage', meaning: 'STS refused a parameter of the request.' },
  TIMEOUT_INVALID: { kind: 'usage', meaning: 'A sign-in timeout is not a duration (90s, 5m) in its range.' },
  TLS_CERTIFICATE_REJECTED: {
    kind: 'usage',
    meaning:
      "A server's TLS certificate was not accepted (unknown issuer, expired, wrong name); the line names the setting that fixes it.",
  },
  TOKEN_ENV_MISSING: {
    kind: 'usage',
    meaning: 'The environment variable that should hold the token is unset or empty.',
  },
  TOKEN_EXPIRED: { kind: 'refused', meaning: 'The token or SAML assertion has expired.' },
  TOKEN_FILE_EMPTY: { kind: 'usage', meaning: 'The token file is empty.' },
  TOKEN_FILE_UNREADABLE: { kind: 'usage', meaning: 'The token file cannot be read.' },
  TOKEN_NOT_JWT: { kind: 'usage', meaning: 'A token that should be a JWT is not one.' },
  TOKEN_SOURCE_CONFLICT: { kind: 'usage', meaning: 'More than one web identity token source was given.' },
  TOKEN_SOURCE_MISSING: { kind: 'usage', meaning: 'No web identity token source was given.' },
  TOKEN_STDIN_EMPTY: { kind: 'usage', meaning: 'No token arrived on standard input.' },
  TOKEN_TOO_LONG: { kind: 'usage', meaning: 'The token is longer than STS accepts.' },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes of one kind: what each factory in errors.ts accepts. */
export type ErrorCodeOf<K extends ErrorKind> = {
  [C in ErrorCode]: (typeof ERROR_CODES)[C]['kind'] extends K ? C : never;
}[ErrorCode];
