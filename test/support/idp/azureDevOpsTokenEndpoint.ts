import { randomBytes, randomUUID } from 'node:crypto';
import { registerSecret } from '../harness/leakScan.js';
import { sendJson, startLoopbackServer } from '../harness/loopbackServer.js';
import type { TokenIssuer } from './tokenIssuer.js';

/**
 * Azure Pipelines' OIDC token service (REST "Oidctoken - Create", api-version 7.1-preview.1):
 * `POST $SYSTEM_OIDCREQUESTURI?api-version=7.1-preview.1[&serviceConnectionId=ID]` with
 * `Authorization: Bearer $SYSTEM_ACCESSTOKEN` answers {"oidcToken": "<JWT>"}.
 *
 * Facts kept from Azure's documentation and observed tokens: aud is always
 * api://AzureADTokenExchange (an AWS trust policy names that audience); sub is
 * sc://ORG/PROJECT/SERVICE_CONNECTION_NAME when a service connection is named, and
 * p://ORG/PROJECT/PIPELINE for the pipeline's own token; the real iss is
 * https://vstoken.dev.azure.com/ORG_ID (here: the given issuer, which can carry a path).
 */

export interface AzureDevOpsTokenEndpointOptions {
  issuer: TokenIssuer;
  organization?: string;
  project?: string;
  pipeline?: string;
  /** service connection names by id; default one connection 'aws-oidc' */
  serviceConnections?: Record<string, string>;
  /** claims over the defaults */
  claims?: Record<string, unknown>;
  expiresInSeconds?: number;
}

export interface AzureDevOpsTokenRequest {
  apiVersion?: string;
  serviceConnectionId?: string;
  authorized: boolean;
}

export interface AzureDevOpsTokenEndpoint {
  /** SYSTEM_OIDCREQUESTURI (no query) */
  requestUri: string;
  /** SYSTEM_ACCESSTOKEN */
  accessToken: string;
  /** the id of the first configured service connection */
  serviceConnectionId: string;
  /** TF_BUILD=True, SYSTEM_OIDCREQUESTURI, SYSTEM_ACCESSTOKEN */
  env: Record<string, string>;
  requests: AzureDevOpsTokenRequest[];
  issued: string[];
  close(): Promise<void>;
}

export const AZURE_AD_TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';
const ACCEPTED_API_VERSIONS = new Set(['7.1-preview.1', '7.1']);

export async function startAzureDevOpsTokenEndpoint(
  opts: AzureDevOpsTokenEndpointOptions,
): Promise<AzureDevOpsTokenEndpoint> {
  const organization = opts.organization ?? 'octo-org';
  const project = opts.project ?? 'octo-project';
  const pipeline = opts.pipeline ?? 'octo-pipeline';
  const connections = opts.serviceConnections ?? { [randomUUID()]: 'aws-oidc' };
  const accessToken = randomBytes(32).toString('base64url');
  registerSecret(accessToken, 'token', "the Azure DevOps double's SYSTEM_ACCESSTOKEN");
  const orgId = randomUUID();
  const projectId = randomUUID();
  const path = `/${organization}/${projectId}/_apis/distributedtask/hubs/build/plans/${randomUUID()}/jobs/${randomUUID()}/oidctoken`;
  const requests: AzureDevOpsTokenRequest[] = [];
  const issued: string[] = [];

  const server = await startLoopbackServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== path) return sendJson(res, 404, { message: 'Not Found' });
    if (req.method !== 'POST') return sendJson(res, 405, { message: 'Method Not Allowed' });
    const apiVersion = url.searchParams.get('api-version') ?? undefined;
    const serviceConnectionId = url.searchParams.get('serviceConnectionId') ?? undefined;
    const authorized = req.headers.authorization === `Bearer ${accessToken}`;
    requests.push({ apiVersion, serviceConnectionId, authorized });
    if (!authorized)
      return sendJson(res, 401, { message: 'TF400813: The user is not authorized to access this resource.' });
    if (apiVersion === undefined || !ACCEPTED_API_VERSIONS.has(apiVersion)) {
      return sendJson(res, 400, {
        message: `The requested REST API version ${apiVersion ?? '(none)'} is not supported.`,
      });
    }
    let sub = `p://${organization}/${project}/${pipeline}`;
    if (serviceConnectionId !== undefined) {
      const name = connections[serviceConnectionId];
      if (name === undefined)
        return sendJson(res, 404, { message: `Service connection ${serviceConnectionId} not found.` });
      sub = `sc://${organization}/${project}/${name}`;
    }
    const token = await opts.issuer.sign(
      {
        sub,
        aud: AZURE_AD_TOKEN_EXCHANGE_AUDIENCE,
        org_id: orgId,
        prj_id: projectId,
        def_id: '7',
        run_id: '123',
        rpo_ref: 'refs/heads/main',
        ...opts.claims,
      },
      { expiresInSeconds: opts.expiresInSeconds ?? 600 },
    );
    issued.push(token);
    sendJson(res, 200, { oidcToken: token });
  });

  const requestUri = server.url + path;
  return {
    requestUri,
    accessToken,
    serviceConnectionId: Object.keys(connections)[0]!,
    env: { TF_BUILD: 'True', SYSTEM_OIDCREQUESTURI: requestUri, SYSTEM_ACCESSTOKEN: accessToken },
    requests,
    issued,
    close: () => server.close(),
  };
}
