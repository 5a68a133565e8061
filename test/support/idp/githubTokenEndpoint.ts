import { randomBytes } from 'node:crypto';
import { registerSecret } from '../harness/leakScan.js';
import { sendJson, startLoopbackServer } from '../harness/loopbackServer.js';
import type { TokenIssuer } from './tokenIssuer.js';

/**
 * GitHub Actions' ID-token service as a job sees it: ACTIONS_ID_TOKEN_REQUEST_URL (which already
 * carries `?api-version=2.0`, so clients append `&audience=AUD`) and ACTIONS_ID_TOKEN_REQUEST_TOKEN.
 * GET with `Authorization: Bearer <request token>` answers {"count": N, "value": "<JWT>"}; the JWT
 * comes from the given issuer with GitHub's claim set, aud = the requested audience (GitHub's
 * default when none is asked for: the repository owner's URL).
 */

export interface GithubTokenEndpointOptions {
  issuer: TokenIssuer;
  /** claims over the GitHub-like defaults (sub, repository, ref, run_id, ...) */
  claims?: Record<string, unknown>;
  /** token lifetime; default 600 */
  expiresInSeconds?: number;
}

export interface GithubTokenRequest {
  audience?: string;
  /** false when the bearer was missing or wrong (answered 401 / 403) */
  authorized: boolean;
}

export interface GithubTokenEndpoint {
  /** ACTIONS_ID_TOKEN_REQUEST_URL */
  requestUrl: string;
  /** ACTIONS_ID_TOKEN_REQUEST_TOKEN */
  requestToken: string;
  /** the variables a GitHub Actions job has: GITHUB_ACTIONS, ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN */
  env: Record<string, string>;
  requests: GithubTokenRequest[];
  /** the tokens it handed out */
  issued: string[];
  close(): Promise<void>;
}

export const GITHUB_DEFAULT_CLAIMS = {
  sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
  repository: 'octo-org/octo-repo',
  repository_id: '74',
  repository_owner: 'octo-org',
  repository_owner_id: '65',
  repository_visibility: 'private',
  ref: 'refs/heads/main',
  ref_type: 'branch',
  sha: 'example-sha',
  workflow: 'deploy',
  workflow_ref: 'octo-org/octo-repo/.github/workflows/deploy.yml@refs/heads/main',
  job_workflow_ref: 'octo-org/octo-repo/.github/workflows/deploy.yml@refs/heads/main',
  event_name: 'push',
  actor: 'octocat',
  actor_id: '12',
  run_id: '1234567890',
  run_number: '42',
  run_attempt: '1',
  runner_environment: 'github-hosted',
};

const PATH =
  '/_apis/distributedtask/hubs/Actions/plans/00000000-0000-0000-0000-000000000001/jobs/00000000-0000-0000-0000-000000000002/idtoken';

export async function startGithubTokenEndpoint(opts: GithubTokenEndpointOptions): Promise<GithubTokenEndpoint> {
  const requestToken = randomBytes(24).toString('base64url');
  registerSecret(requestToken, 'token', "the GitHub double's ACTIONS_ID_TOKEN_REQUEST_TOKEN");
  const requests: GithubTokenRequest[] = [];
  const issued: string[] = [];
  let count = 0;
  const claims = { ...GITHUB_DEFAULT_CLAIMS, ...opts.claims };

  const server = await startLoopbackServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== PATH) return sendJson(res, 404, { message: 'Not Found' });
    if (req.method !== 'GET') return sendJson(res, 405, { message: 'Method Not Allowed' });
    const audience = url.searchParams.get('audience') ?? undefined;
    const authorization = req.headers.authorization;
    if (authorization === undefined || !authorization.startsWith('Bearer ')) {
      requests.push({ audience, authorized: false });
      return sendJson(res, 401, { message: 'Unauthorized' });
    }
    if (authorization.slice('Bearer '.length) !== requestToken) {
      requests.push({ audience, authorized: false });
      return sendJson(res, 403, { message: 'Forbidden' });
    }
    if (url.searchParams.get('api-version') !== '2.0') {
      requests.push({ audience, authorized: true });
      return sendJson(res, 400, { message: 'api-version 2.0 is required' });
    }
    requests.push({ audience, authorized: true });
    const owner = typeof claims.repository_owner === 'string' ? claims.repository_owner : 'octo-org';
    const token = await opts.issuer.sign(
      { ...claims, aud: audience ?? `https://github.com/${owner}` },
      { expiresInSeconds: opts.expiresInSeconds ?? 600 },
    );
    issued.push(token);
    sendJson(res, 200, { count: ++count, value: token });
  });

  const requestUrl = `${server.url}${PATH}?api-version=2.0`;
  return {
    requestUrl,
    requestToken,
    env: {
      GITHUB_ACTIONS: 'true',
      ACTIONS_ID_TOKEN_REQUEST_URL: requestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken,
    },
    requests,
    issued,
    close: () => server.close(),
  };
}
