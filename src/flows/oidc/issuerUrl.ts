import { usageError } from '../../core/errors.js';
import { idpTransport, insecureIdpUrlError } from '../../core/idpUrl.js';

export { isLoopbackHost } from '../../core/idpUrl.js';

/** An issuer URL fedlogin is willing to talk to, and whether plain http is allowed for it. */
export interface IssuerUrl {
  url: URL;
  /** true only for http:// on a loopback address (a local test or dev IdP) */
  insecure: boolean;
}

/** Pure: https anywhere, http only on loopback (src/core/idpUrl.ts), nothing else. */
export function parseIssuerUrl(value: string, origin = '--issuer'): IssuerUrl {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw usageError('ISSUER_INVALID', `${origin} is not a URL: "${value}".`, {
      hint: 'Example: --issuer https://login.example.com',
    });
  }
  if (url.search || url.hash) {
    throw usageError('ISSUER_INVALID', `${origin} must not have a query or fragment: "${value}".`, {
      hint: 'Give the issuer as the IdP names it, e.g. https://login.example.com/realms/dev',
    });
  }
  const transport = idpTransport(url);
  if (transport === 'https') return { url, insecure: false };
  if (transport === 'loopback-http') return { url, insecure: true };
  if (transport === 'insecure-http') throw insecureIdpUrlError('ISSUER_INSECURE', origin, value);
  throw usageError('ISSUER_INVALID', `${origin} must be an https:// URL: "${value}".`);
}
