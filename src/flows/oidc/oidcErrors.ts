import { type FedloginError, isFedloginError, refusedError, unreachableError, usageError } from '../../core/errors.js';
import { escapeControl } from '../../core/escapeControl.js';

/** What fedlogin was doing when an OIDC call failed; the messages differ. */
export type OidcStage = 'discovery' | 'authorization' | 'token' | 'refresh' | 'device';

interface LibraryError {
  name?: string;
  code?: string;
  message?: string;
  error?: string;
  error_description?: string;
  status?: number;
  cause?: unknown;
}

const NETWORK_CODES = /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|UND_ERR_\w+)$/;

function networkCode(error: LibraryError): string | undefined {
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timed out';
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as LibraryError).cause, depth++) {
    const code = (e as LibraryError).code;
    if (typeof code === 'string' && NETWORK_CODES.test(code)) return code;
    // openid-client wraps its fetch's timeout (a DOMException named TimeoutError) as the cause
    if (depth > 0 && ((e as LibraryError).name === 'TimeoutError' || (e as LibraryError).name === 'AbortError'))
      return 'timed out';
  }
  return error.name === 'TypeError' && /fetch failed/i.test(error.message ?? '') ? 'network error' : undefined;
}

/** The IdP's words (error, error_description, a library message quoting a response) on one safe line. */
const oneLine = (text: string | undefined) => escapeControl((text ?? '').replace(/\s+/g, ' ').trim());

const WELL_KNOWN = '/.well-known/openid-configuration';

/**
 * A discovery URL that answers a redirect. openid-client does not follow it, rightly: the issuer
 * is an identifier that must equal the document's "issuer", so a redirect means the IdP publishes
 * its document (and most likely its issuer) elsewhere. Names the status and the target, and the
 * issuer to use when the target is another issuer's discovery URL.
 */
function discoveryRedirect(e: LibraryError, where: string): FedloginError | undefined {
  const response = e.cause as { status?: unknown; headers?: { get?: (name: string) => string | null } } | undefined;
  const status = typeof response?.status === 'number' ? response.status : e.status;
  const location = typeof response?.headers?.get === 'function' ? response.headers.get('location') : null;
  const discoveryUrl = `${where}${WELL_KNOWN}`;
  let target: URL | undefined;
  try {
    target = location ? new URL(location, discoveryUrl) : undefined;
  } catch {
    target = undefined;
  }
  if (!target) {
    return usageError(
      'OIDC_DISCOVERY_REDIRECT',
      `${discoveryUrl} answers a redirect (HTTP ${status}) without a usable Location; it is not the issuer's discovery document.`,
      {
        hint: 'Use the exact "issuer" your IdP publishes as --issuer (fedlogin_issuer in a profile); fedlogin does not follow discovery redirects.',
        cause: e,
      },
    );
  }
  const shown = oneLine(target.href);
  const issuer =
    target.pathname.endsWith(WELL_KNOWN) && !target.search && !target.hash
      ? oneLine(`${target.origin}${target.pathname.slice(0, -WELL_KNOWN.length)}`)
      : undefined;
  return usageError(
    'OIDC_DISCOVERY_REDIRECT',
    `${discoveryUrl} redirects (HTTP ${status}) to ${shown}; fedlogin does not follow it, because an issuer must be exactly the "issuer" its discovery document names.`,
    {
      hint: issuer
        ? `If your IdP's issuer is now ${issuer}, use --issuer ${issuer} (fedlogin_issuer in a profile; a role trusts that issuer, not the old one).`
        : 'Ask your IdP admin for the exact issuer URL and use it as --issuer (fedlogin_issuer in a profile).',
      cause: e,
    },
  );
}

/**
 * openid-client's errors, translated once into FedloginErrors. Library messages carry no token
 * values; IdP error descriptions are shown as the IdP wrote them. Exit codes: the IdP cannot be
 * reached (or answers 5xx) 4; a discovery document that is not one 2 (the issuer setting is wrong);
 * the IdP or a check refusing the sign-in 3.
 */
export function translateOidcError(error: unknown, issuer: URL, stage: OidcStage): FedloginError {
  if (isFedloginError(error)) return error;
  // the node:http layer's own failures (certificate, proxy), possibly wrapped by openid-client
  for (let e: unknown = (error as LibraryError | undefined)?.cause, depth = 0; e && depth < 3; depth++) {
    if (isFedloginError(e)) return e;
    e = (e as LibraryError).cause;
  }
  const e = (error ?? {}) as LibraryError;
  const where = issuer.href.replace(/\/+$/, '');
  const network = networkCode(e);
  if (network) {
    return unreachableError('OIDC_UNREACHABLE', `Could not reach the identity provider at ${where} (${network}).`, {
      hint: 'Check the issuer URL and your network or proxy, then try again.',
      cause: error,
    });
  }
  // openid-client reports an unexpected HTTP status with the Response as the cause
  const status = typeof e.status === 'number' ? e.status : e.cause instanceof Response ? e.cause.status : undefined;
  if (status !== undefined && status >= 500) {
    return unreachableError(
      'OIDC_UNREACHABLE',
      `The identity provider at ${where} answered HTTP ${status} during ${stage}.`,
      { hint: 'The IdP is having trouble; try again in a minute.', cause: error },
    );
  }
  if (stage === 'discovery') {
    const redirect = status !== undefined && status >= 300 && status < 400 ? discoveryRedirect(e, where) : undefined;
    if (redirect) return redirect;
    return usageError(
      'OIDC_DISCOVERY_INVALID',
      `${where}/.well-known/openid-configuration is not a usable OpenID Provider discovery document (${oneLine(e.message) || 'unexpected answer'}).`,
      {
        hint: 'Check the issuer URL: it is the exact "issuer" the IdP publishes, without /.well-known/openid-configuration.',
        cause: error,
      },
    );
  }
  const description = e.error_description ? `: ${oneLine(e.error_description)}` : '';
  switch (e.error) {
    case 'access_denied':
      return refusedError(
        'OIDC_ACCESS_DENIED',
        `The identity provider denied the sign-in (access_denied${description}).`,
        {
          hint: 'Sign in again and approve the request, or ask your IdP admin for access to this application.',
          cause: error,
        },
      );
    case 'expired_token':
      return refusedError('OIDC_DEVICE_CODE_EXPIRED', 'The device code expired before the sign-in was approved.', {
        hint: 'Run the command again and enter the new code promptly.',
        cause: error,
      });
    case 'invalid_grant':
      return refusedError(
        'OIDC_INVALID_GRANT',
        `The identity provider refused the grant during ${stage} (invalid_grant${description}).`,
        { hint: 'Sign in again.', cause: error },
      );
    case 'invalid_client':
    case 'unauthorized_client':
      return refusedError(
        'OIDC_CLIENT_REFUSED',
        `The identity provider refused client authentication (${oneLine(e.error)}${description}).`,
        { hint: 'Check the client id, and for a confidential client FEDLOGIN_OIDC_CLIENT_SECRET.', cause: error },
      );
  }
  if (e.error) {
    return refusedError(
      'OIDC_REFUSED',
      `The identity provider refused the ${stage} request (${oneLine(e.error)}${description}).`,
      { cause: error },
    );
  }
  // openid-client wraps oauth4webapi's error, whose message and details say which check failed
  const inner = (e.cause ?? {}) as LibraryError & { cause?: { claim?: string } };
  const message = oneLine(inner.message && typeof inner.message === 'string' ? inner.message : e.message);
  const claim = inner.cause && typeof inner.cause === 'object' ? inner.cause.claim : undefined;
  if (e.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' && (claim === 'iss' || /"iss"/.test(message))) {
    return refusedError(
      'OIDC_ISSUER_MISMATCH',
      `The ID token was issued by another issuer than ${where}; refusing it.`,
      {
        hint: 'Check the issuer URL; if it is right, the IdP is misconfigured or the response was tampered with.',
        cause: error,
      },
    );
  }
  if (e.code === 'OAUTH_INVALID_RESPONSE' && /"state"/.test(message)) {
    return refusedError(
      'OIDC_STATE_MISMATCH',
      'The sign-in response does not belong to this login (state mismatch); refusing it.',
      { hint: 'Start the login again from this terminal; do not reuse an old browser tab.', cause: error },
    );
  }
  return refusedError(
    'OIDC_RESPONSE_INVALID',
    `The identity provider's ${stage} response failed validation (${message || 'invalid response'}).`,
    { cause: error },
  );
}
