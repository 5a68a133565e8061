import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AzureDevOpsTokenEndpoint,
  startAzureDevOpsTokenEndpoint,
} from '../support/idp/azureDevOpsTokenEndpoint.js';
import { type GithubTokenEndpoint, startGithubTokenEndpoint } from '../support/idp/githubTokenEndpoint.js';
import { startTokenIssuer, type TokenIssuer } from '../support/idp/tokenIssuer.js';

let issuer: TokenIssuer;
beforeAll(async () => {
  issuer = await startTokenIssuer();
});
afterAll(() => issuer.close());

describe('startGithubTokenEndpoint', () => {
  let gh: GithubTokenEndpoint;
  beforeAll(async () => {
    gh = await startGithubTokenEndpoint({ issuer, claims: { run_id: '99' } });
  });
  afterAll(() => gh.close());

  // what a client (actions/toolkit's getIDToken) does with the two variables
  const request = (audience: string | undefined, bearer: string | undefined) =>
    fetch(audience === undefined ? gh.requestUrl : `${gh.requestUrl}&audience=${encodeURIComponent(audience)}`, {
      headers:
        bearer === undefined ? {} : { authorization: `Bearer ${bearer}`, accept: 'application/json; api-version=2.0' },
    });

  it('hands out a URL that already has ?api-version=2.0 and the variables of a job', () => {
    expect(new URL(gh.requestUrl).searchParams.get('api-version')).toBe('2.0');
    expect(new URL(gh.requestUrl).hostname).toBe('127.0.0.1');
    expect(gh.env).toEqual({
      GITHUB_ACTIONS: 'true',
      ACTIONS_ID_TOKEN_REQUEST_URL: gh.requestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: gh.requestToken,
    });
  });

  it('rejects a missing (401) or wrong (403) bearer', async () => {
    expect((await request('sts.amazonaws.com', undefined)).status).toBe(401);
    expect((await request('sts.amazonaws.com', 'wrong')).status).toBe(403);
    expect(gh.requests.slice(-2)).toEqual([
      { audience: 'sts.amazonaws.com', authorized: false },
      { audience: 'sts.amazonaws.com', authorized: false },
    ]);
  });

  it('mints a verifiable token with the requested audience and GitHub claims', async () => {
    const res = await request('sts.amazonaws.com', gh.requestToken);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { count: number; value: string };
    expect(typeof body.count).toBe('number');
    const { payload } = await jwtVerify(body.value, createRemoteJWKSet(new URL(issuer.jwksUri)), {
      issuer: issuer.url,
      audience: 'sts.amazonaws.com',
    });
    expect(payload).toMatchObject({
      sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
      repository: 'octo-org/octo-repo',
      run_id: '99',
      ref: 'refs/heads/main',
    });
    expect(gh.requests.at(-1)).toEqual({ audience: 'sts.amazonaws.com', authorized: true });
    expect(gh.issued).toContain(body.value);
  });

  it('defaults the audience to the owner URL like GitHub', async () => {
    const body = (await (await request(undefined, gh.requestToken)).json()) as { value: string };
    expect(decodeJwt(body.value).aud).toBe('https://github.com/octo-org');
  });
});

describe('startAzureDevOpsTokenEndpoint', () => {
  let ado: AzureDevOpsTokenEndpoint;
  beforeAll(async () => {
    ado = await startAzureDevOpsTokenEndpoint({ issuer });
  });
  afterAll(() => ado.close());

  const post = (query: string, bearer: string) =>
    fetch(`${ado.requestUri}?${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    });

  it('requires the job access token', async () => {
    expect((await post('api-version=7.1-preview.1', 'nope')).status).toBe(401);
    expect(ado.env).toMatchObject({
      TF_BUILD: 'True',
      SYSTEM_OIDCREQUESTURI: ado.requestUri,
      SYSTEM_ACCESSTOKEN: ado.accessToken,
    });
  });

  it('requires an api-version', async () => {
    expect((await post('', ado.accessToken)).status).toBe(400);
  });

  it('mints a service-connection token: sub sc://org/project/connection, aud api://AzureADTokenExchange', async () => {
    const res = await post(`api-version=7.1-preview.1&serviceConnectionId=${ado.serviceConnectionId}`, ado.accessToken);
    expect(res.status).toBe(200);
    const { oidcToken } = (await res.json()) as { oidcToken: string };
    const { payload } = await jwtVerify(oidcToken, createRemoteJWKSet(new URL(issuer.jwksUri)), { issuer: issuer.url });
    expect(payload.sub).toBe('sc://octo-org/octo-project/aws-oidc');
    expect(payload.aud).toBe('api://AzureADTokenExchange');
  });

  it('mints the pipeline token without a service connection: sub p://org/project/pipeline', async () => {
    const { oidcToken } = (await (await post('api-version=7.1-preview.1', ado.accessToken)).json()) as {
      oidcToken: string;
    };
    expect(decodeJwt(oidcToken).sub).toBe('p://octo-org/octo-project/octo-pipeline');
    expect((await post('api-version=7.1-preview.1&serviceConnectionId=unknown', ado.accessToken)).status).toBe(404);
  });
});
