import { usageError } from '../../core/errors.js';

/** An issuer URL fedlogin is willing to talk to, and whether plain http is allowed for it. */
export interface IssuerUrl {
  url: URL;
  /** true only for http:// on a loopback address (a local test or dev IdP) */
  insecure: boolean;
}

/** 127.0.0.0/8, ::1 and localhost: the only hosts where http:// cannot be intercepted on the wire. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  const v4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return v4 !== null && v4.slice(1).every((part) => Number(part) <= 255);
}

/** Pure: https anywhere, http only on loopback, nothing else. */
export function parseIssuerUrl(value: string, origin = '--issuer'): IssuerUrl {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw usageError('ISSUER_INVALID', `${origin} is not a URL: "${value}".`, { hint: 'Example: --issuer https://login.example.com' });
  }
  if (url.search || url.hash) {
    throw usageError('ISSUER_INVALID', `${origin} must not have a query or fragment: "${value}".`, { hint: 'Give the issuer as the IdP names it, e.g. https://login.example.com/realms/dev' });
  }
  if (url.protocol === 'https:') return { url, insecure: false };
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return { url, insecure: true };
  if (url.protocol === 'http:') {
    throw usageError(
      'ISSUER_INSECURE',
      `${origin} ${value} uses http:// on a host that is not loopback; tokens would travel unencrypted.`,
      { hint: 'Use the https:// issuer URL (http:// is accepted only for 127.0.0.1, ::1 and localhost).' },
    );
  }
  throw usageError('ISSUER_INVALID', `${origin} must be an https:// URL: "${value}".`);
}
