import { usageError } from './errors.js';

/**
 * The one rule for every URL where a person signs in or from which tokens come (an OIDC issuer, a
 * SAML IdP's sign-on URL), shared by the flows, configure and doctor: https anywhere, plain http
 * only on loopback, where it cannot be read or changed on the wire. Pure.
 */

/** 127.0.0.0/8, ::1 and localhost: the only hosts where http:// cannot be intercepted on the wire. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  const v4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return v4 !== null && v4.slice(1).every((part) => Number(part) <= 255);
}

export type IdpTransport = 'https' | 'loopback-http' | 'insecure-http' | 'other';

export function idpTransport(url: URL): IdpTransport {
  if (url.protocol === 'https:') return 'https';
  if (url.protocol !== 'http:') return 'other';
  return isLoopbackHost(url.hostname) ? 'loopback-http' : 'insecure-http';
}

/** The refusal of an http:// IdP URL off loopback (exit 2), worded alike wherever it is met. */
export function insecureIdpUrlError(code: 'IDP_URL_INSECURE' | 'ISSUER_INSECURE', origin: string, value: string) {
  return usageError(
    code,
    `${origin} ${value.trim()} uses http:// on a host that is not loopback; the sign-in (passwords, tokens, SAML assertions) would travel unencrypted and could be changed on the way.`,
    { hint: 'Use the https:// URL (http:// is accepted only for 127.0.0.1, ::1 and localhost).' },
  );
}
