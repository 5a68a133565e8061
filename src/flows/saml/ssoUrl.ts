import { usageError } from '../../core/errors.js';
import { isLoopbackHost } from '../oidc/issuerUrl.js';

/** https anywhere, http only on loopback; a query is fine (ADFS' ?loginToRp=urn:amazon:webservices). Pure. */
export function parseSsoUrl(value: string, origin: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw usageError('IDP_URL_INVALID', `${origin} is not a URL: "${value}".`, { hint: "Give the AWS app's IdP-initiated sign-on URL, e.g. https://idp.example.com/app/aws/sso" });
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) return url.href;
  throw usageError('IDP_URL_INVALID', `${origin} must be an https:// URL (http:// only on 127.0.0.1, ::1 or localhost): "${value}".`);
}
