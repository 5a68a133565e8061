/**
 * The per-request time limit of fedlogin's own HTTP calls (STS, Cognito Identity, OIDC discovery).
 * FEDLOGIN_HTTP_TIMEOUT_MS, a positive whole number of milliseconds, replaces the caller's default:
 * for very slow networks, and for tests that need "slower than the timeout" without long waits.
 * Read in this one place; anything else in the variable is ignored.
 */
export function httpTimeoutMs(defaultMs: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.FEDLOGIN_HTTP_TIMEOUT_MS?.trim();
  if (!raw || !/^\d{1,7}$/.test(raw)) return defaultMs;
  const ms = Number(raw);
  return ms > 0 ? ms : defaultMs;
}
