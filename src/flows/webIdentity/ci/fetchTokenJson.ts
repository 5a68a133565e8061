import { isFedloginError, refusedError, unreachableError } from '../../../core/errors.js';
import type { TokenSourceDeps } from '../tokenSource.js';

export interface TokenRequest {
  /** for messages, e.g. "GitHub Actions' OIDC token endpoint" */
  service: string;
  url: string;
  method: 'GET' | 'POST';
  bearer: string;
  /** the JSON field that carries the token */
  field: string;
  timeoutMs?: number;
  /** extra advice when the service says 401/403 */
  refusedHint: string;
}

/** Asks a CI's token endpoint for an OIDC token; the URL is shown without its query string. */
export async function fetchTokenJson(request: TokenRequest, deps: TokenSourceDeps): Promise<string> {
  const shownUrl = request.url.split('?')[0];
  let response: Awaited<ReturnType<TokenSourceDeps['fetch']>>;
  try {
    response = await deps.fetch(request.url, {
      method: request.method,
      headers: {
        Authorization: `Bearer ${request.bearer}`,
        Accept: 'application/json',
        ...(request.method === 'POST' ? { 'Content-Type': 'application/json' } : {}),
      },
      signal: AbortSignal.timeout(request.timeoutMs ?? 15_000),
    });
  } catch (error) {
    // a certificate or proxy failure already says what to fix
    if (isFedloginError(error)) throw error;
    const e = error as { code?: unknown; cause?: { code?: string }; name?: string };
    // a timeout is a DOMException, whose numeric code says nothing
    const cause =
      e.name === 'TimeoutError'
        ? 'timed out'
        : ((typeof e.code === 'string' ? e.code : undefined) ?? e.cause?.code ?? e.name);
    throw unreachableError('CI_TOKEN_UNREACHABLE', `Could not reach ${request.service} at ${shownUrl} (${cause}).`, {
      hint: 'Retry the job; if it persists, check the CI service status.',
      cause: error,
    });
  }
  const body = await response.text().catch(() => '');
  if (response.status === 401 || response.status === 403) {
    throw refusedError('CI_TOKEN_REFUSED', `${request.service} refused the token request (HTTP ${response.status}).`, {
      hint: request.refusedHint,
    });
  }
  if (!response.ok) {
    throw unreachableError(
      'CI_TOKEN_FAILED',
      `${request.service} answered HTTP ${response.status} to the token request.`,
      { hint: 'Retry the job.' },
    );
  }
  let token: unknown;
  try {
    token = (JSON.parse(body) as Record<string, unknown>)[request.field];
  } catch {
    token = undefined;
  }
  if (typeof token !== 'string' || !token) {
    throw unreachableError(
      'CI_TOKEN_MALFORMED',
      `${request.service} answered without a token (no "${request.field}" in its JSON response).`,
      { hint: 'Retry the job; if it persists, check the CI service status.' },
    );
  }
  return token;
}
