import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeBuildkiteAgent, writeFakeBuildkiteAgent } from '../support/idp/fakeBuildkiteAgent.js';
import { startTokenIssuer, type TokenIssuer } from '../support/idp/tokenIssuer.js';

const run = promisify(execFile);

describe('writeFakeBuildkiteAgent', () => {
  let issuer: TokenIssuer;
  let dir: string;
  let agent: FakeBuildkiteAgent;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    issuer = await startTokenIssuer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'fake-bk-'));
    agent = await writeFakeBuildkiteAgent(dir, issuer, { pipeline_slug: 'fedlogin' });
    // as a test would: the fake first on PATH, found by name
    env = { PATH: `${dir}${path.delimiter}${process.env.PATH ?? ''}` };
  });
  afterAll(async () => {
    await issuer.close();
    await rm(dir, { recursive: true, force: true });
  });

  const agentCli = (args: string[]) => run('buildkite-agent', args, { env, timeout: 10_000 });

  it('prints a token from the issuer with the requested audience and lifetime', async () => {
    const { stdout } = await agentCli([
      'oidc',
      'request-token',
      '--audience',
      'sts.amazonaws.com',
      '--lifetime',
      '300',
    ]);
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const { payload } = await jwtVerify(stdout.trim(), createRemoteJWKSet(new URL(issuer.jwksUri)), {
      issuer: issuer.url,
      audience: 'sts.amazonaws.com',
    });
    expect(payload.exp! - payload.iat!).toBe(300);
    expect(payload).toMatchObject({ organization_slug: 'acme-inc', pipeline_slug: 'fedlogin' });
    expect(payload.sub).toMatch(/^organization:acme-inc:pipeline:/);
    expect(issuer.issued).toContain(stdout.trim());
    expect(await agent.calls()).toContainEqual([
      'oidc',
      'request-token',
      '--audience',
      'sts.amazonaws.com',
      '--lifetime',
      '300',
    ]);
  });

  it('accepts --audience=AUD and defaults the audience to the organization', async () => {
    const a = await agentCli(['oidc', 'request-token', '--audience=custom']);
    expect(decodeJwt(a.stdout.trim()).aud).toBe('custom');
    const b = await agentCli(['oidc', 'request-token']);
    expect(decodeJwt(b.stdout.trim()).aud).toBe('https://buildkite.com/acme-inc');
  });

  it('fails with a message and non-zero exit for anything else', async () => {
    await expect(agentCli(['pipeline', 'upload'])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('oidc request-token'),
    });
    await expect(agentCli(['oidc', 'request-token', '--bogus'])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('flag provided but not defined: -bogus'),
    });
    await expect(agentCli(['oidc', 'request-token', '--lifetime', 'soon'])).rejects.toMatchObject({ code: 1 });
  });
});
