import { usageError } from '../../core/errors.js';
import { idpTransport, insecureIdpUrlError } from '../../core/idpUrl.js';

/**
 * A SAML IdP's sign-on URL: https anywhere, http only on loopback (src/core/idpUrl.ts, the rule the
 * OIDC issuer follows too); a query is fine (ADFS' ?loginToRp=urn:amazon:webservices). Checked
 * wherever the URL comes in (--idp-url, fedlogin_idp_url, configure, doctor) before any browser
 * starts or any request is sent. Pure.
 */
export function parseSsoUrl(value: string, origin: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw usageError('IDP_URL_INVALID', `${origin} is not a URL: "${value}".`, {
      hint: "Give the AWS app's IdP-initiated sign-on URL, e.g. https://idp.example.com/app/aws/sso",
    });
  }
  const transport = idpTransport(url);
  if (transport === 'https' || transport === 'loopback-http') return url.href;
  if (transport === 'insecure-http') throw insecureIdpUrlError('IDP_URL_INSECURE', origin, value);
  throw usageError(
    'IDP_URL_INVALID',
    `${origin} must be an https:// URL (http:// only on 127.0.0.1, ::1 or localhost): "${value}".`,
  );
}
