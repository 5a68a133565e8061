import { usageError } from '../../core/errors.js';

/** The sign-in hosts of the AWS partitions, with or without a region in front. */
const SIGNIN_HOST = /^(?:[a-z]{2}(?:-[a-z]+)+-\d+\.)?signin\.(?:aws\.amazon\.com|amazonaws\.cn|amazonaws-us-gov\.com)$/;
const ACS_PATH = /^\/saml(?:\/acs\/[\w-]+)?\/?$/;

/**
 * Whether a URL is an AWS sign-in SAML ACS: https://signin.aws.amazon.com/saml, the regional
 * https://REGION.signin.aws.amazon.com/saml, .../saml/acs/IDP-ID, and the aws-cn and aws-us-gov
 * equivalents. The query string does not matter. Pure.
 */
export function isAwsAcsUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === 'https:' &&
    parsed.port === '' &&
    SIGNIN_HOST.test(parsed.hostname) &&
    ACS_PATH.test(parsed.pathname)
  );
}

/**
 * `--acs-url-pattern` / fedlogin_acs_url_pattern, for IdP proxies that receive the POST first: the
 * URL without its query, where `*` matches any characters (as in IAM's StringLike).
 */
export function compileAcsPattern(pattern: string): (url: string) => boolean {
  if (!/^https?:\/\//.test(pattern)) {
    throw usageError(
      'ACS_PATTERN_INVALID',
      `The ACS URL pattern "${pattern}" must start with https:// (or http:// for a loopback proxy).`,
      { hint: 'Example: --acs-url-pattern "https://sso.example.com/aws/*"' },
    );
  }
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return (url) => regex.test(url.split(/[?#]/)[0]!);
}

/** The AWS ACS URLs, plus the configured pattern when there is one. */
export function acsMatcher(pattern: string | undefined): (url: string) => boolean {
  const extra = pattern ? compileAcsPattern(pattern) : undefined;
  return (url) => isAwsAcsUrl(url) || (extra !== undefined && extra(url));
}
