import { usageError } from '../../core/errors.js';

/** One Cognito login: the provider name (login key) and the file its token is read from. */
export interface LoginSpec {
  key: string;
  file: string;
}

const SAML_PROVIDER_ARN = /^arn:[a-z-]+:iam::\d{12}:saml-provider\/[\w+=,.@-]+$/;
/** host[:port][/path] without a scheme: what Cognito compares with the token's iss */
const PROVIDER_NAME = /^[A-Za-z0-9.-]+(?::\d+)?(?:\/[\w.~%@:+-]+)*$/;

export const isSamlProviderKey = (key: string) => SAML_PROVIDER_ARN.test(key);

/**
 * Normalizes a login key: Cognito names OIDC providers by the issuer without its scheme
 * (cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC, accounts.google.com), so a pasted issuer URL
 * loses https:// and a trailing slash. SAML providers are named by their IAM ARN. Pure.
 */
export function normalizeLoginKey(raw: string, origin: string): string {
  const key = raw
    .trim()
    .replace(/^https?:\/\//i, '')
    .replace(/\/+$/, '');
  if (isSamlProviderKey(key) || PROVIDER_NAME.test(key)) return key;
  throw usageError('COGNITO_LOGIN_KEY_INVALID', `${origin}: "${raw}" is not a Cognito login key.`, {
    hint: 'Use the issuer host and path (cognito-idp.REGION.amazonaws.com/POOL_ID, accounts.google.com) or a SAML provider ARN.',
  });
}

/**
 * Parses KEY=@FILE. A token given inline (KEY=TOKEN) is refused: argv is visible to every user of
 * the machine, so tokens only come from files. Pure.
 */
export function parseLoginSpec(value: string, origin = '--login'): LoginSpec {
  const at = value.indexOf('=');
  const key = at > 0 ? value.slice(0, at) : '';
  const rest = at > 0 ? value.slice(at + 1) : '';
  if (!key || !rest.startsWith('@') || rest.length < 2) {
    throw usageError(
      'COGNITO_LOGIN_INVALID',
      `${origin} must be KEY=@FILE (the token is read from FILE, never given on the command line); got ${at > 0 ? `"${key}=..."` : 'no KEY='}.`,
      { hint: 'Example: --login cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC=@~/.cache/id-token' },
    );
  }
  return { key: normalizeLoginKey(key, origin), file: rest.slice(1).trim() };
}
