import type { TempHome } from '../cli/runCli.js';
import { OIDC_AUTH_URL, type RunCliResult, spawnCli } from '../cli/spawnCli.js';
import type { OidcBrowser } from './oidcBrowser.js';
import type { TestOidcProvider } from './oidcProvider.js';

export interface OidcSignInOptions {
  /** the person at the browser */
  browser: OidcBrowser;
  /** --role-arn; unset for `--all-roles --role-arns ...` (in args) */
  roleArn?: string;
  /** the environment of the run (AWS_ENDPOINT_URL_STS, FEDLOGIN_STORE...) */
  env?: Record<string, string | undefined>;
  /** who signs in at the provider's login page; default alice */
  login?: string;
  /** more flags for `fedlogin oidc` (--output json, --prompt consent, --debug...) */
  args?: string[];
  timeoutMs?: number;
}

/**
 * One `fedlogin oidc --issuer ... --client-id ... --role-arn ... --no-browser` sign-in at the test
 * provider, the browser signing in at the URL fedlogin prints: what the tests and the bench do to
 * get a stored refresh token (the one OIDC sign-in set-up, not copies). Fails with fedlogin's
 * stderr unless it exits 0; `page` is the text the browser tab showed at the end.
 */
export async function signInWithOidc(
  idp: TestOidcProvider,
  home: TempHome,
  options: OidcSignInOptions,
): Promise<RunCliResult & { page: string }> {
  const cli = spawnCli(
    [
      'oidc',
      '--issuer',
      idp.issuer,
      '--client-id',
      idp.clientId,
      ...(options.roleArn ? ['--role-arn', options.roleArn] : []),
      '--no-browser',
      ...(options.args ?? []),
    ],
    { home: home.home, env: options.env ?? {}, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) },
  );
  const [, url] = await cli.waitForStderr(OIDC_AUTH_URL);
  const page = await options.browser.signIn(url!, options.login ?? 'alice');
  const result = await cli.result;
  if (result.code !== 0) throw new Error(`fedlogin oidc exited ${result.code}: ${result.stderr}`);
  return { ...result, page };
}
