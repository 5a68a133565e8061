import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../src/core/credentials.js';
import { refusedError } from '../../src/core/errors.js';
import { createLogger } from '../../src/core/logger.js';
import { childEnvironment } from '../../src/output/childEnvironment.js';
import { formatContainerCredentialsJson } from '../../src/output/containerCredentialsJson.js';
import {
  type ContainerCredentialsServer,
  startContainerCredentialsServer,
} from '../../src/output/containerCredentialsServer.js';

const creds = (n: number): Credentials => ({
  accessKeyId: `ASIAEXAMPLE0000000${n}`,
  secretAccessKey: `secret-key-${n}-abcdefghijklmnopqrstuvwxyz`,
  sessionToken: `session-token-${n}-abcdefghijklmnopqrstuvwxyz`,
  expiration: new Date(Date.UTC(2030, 0, 1, 12, 0, n)),
  accountId: '123456789012',
});

interface Answer {
  status: number;
  body: string;
}

/** A raw request, so the test controls every header (fetch would fix Host itself). */
function request(
  port: number,
  opts: { method?: string; path?: string; headers?: Record<string, string>; host?: string },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: opts.method ?? 'GET',
        path: opts.path ?? '/credentials',
        headers: { host: opts.host ?? `127.0.0.1:${port}`, ...opts.headers },
        timeout: 5000,
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

describe('container credentials endpoint', () => {
  let server: ContainerCredentialsServer;
  let calls = 0;
  let fail = false;
  const lines: string[] = [];

  beforeAll(async () => {
    server = await startContainerCredentialsServer({
      getCredentials: async () => {
        calls += 1;
        if (fail) throw refusedError('STS_ACCESS_DENIED', 'STS said no');
        return creds(calls);
      },
      logger: createLogger({ debug: true, write: (line) => lines.push(line) }),
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  const auth = () => ({ authorization: server.token });

  it('serves the credentials in the container format to a caller with the token', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/credentials`);
    expect(Buffer.from(server.token, 'base64url').length).toBeGreaterThanOrEqual(32);
    const answer = await request(server.port, { headers: auth() });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({
      AccessKeyId: 'ASIAEXAMPLE00000001',
      SecretAccessKey: 'secret-key-1-abcdefghijklmnopqrstuvwxyz',
      Token: 'session-token-1-abcdefghijklmnopqrstuvwxyz',
      Expiration: '2030-01-01T12:00:01Z',
      AccountId: '123456789012',
    });
  });

  it('asks for credentials on every request, so refreshed ones reach the caller', async () => {
    const first = JSON.parse((await request(server.port, { headers: auth() })).body).AccessKeyId;
    const second = JSON.parse((await request(server.port, { headers: auth() })).body).AccessKeyId;
    expect(first).not.toBe(second);
  });

  it('accepts localhost:PORT as the Host too', async () => {
    expect((await request(server.port, { headers: auth(), host: `localhost:${server.port}` })).status).toBe(200);
  });

  it.each([
    ['no token', {}],
    ['a wrong token', { authorization: 'not-the-token' }],
    ['the token with a Bearer prefix', undefined],
    ['the token with one character changed', null],
  ])('refuses %s with 403', async (_, headers) => {
    const given =
      headers === undefined
        ? { authorization: `Bearer ${server.token}` }
        : headers === null
          ? { authorization: server.token.slice(0, -1) + (server.token.endsWith('A') ? 'B' : 'A') }
          : headers;
    const answer = await request(server.port, { headers: given });
    expect(answer.status).toBe(403);
    expect(answer.body).not.toContain('secret-key');
  });

  it.each([['evil.example:PORT'], ['127.0.0.1'], ['127.0.0.1:1'], ['localhost.evil.example:PORT']])(
    'refuses the Host header %s with 403, even with the token',
    async (host) => {
      const answer = await request(server.port, { headers: auth(), host: host.replace('PORT', String(server.port)) });
      expect(answer.status).toBe(403);
      expect(answer.body).not.toContain('secret-key');
    },
  );

  it.each(['POST', 'PUT', 'DELETE', 'HEAD'])('answers %s with 405', async (method) => {
    expect((await request(server.port, { method, headers: auth() })).status).toBe(405);
  });

  it.each(['/', '/credentials/x', '/latest/meta-data/iam/security-credentials/', '/v2/credentials'])(
    'answers the path %s with 404',
    async (path) => {
      expect((await request(server.port, { path, headers: auth() })).status).toBe(404);
    },
  );

  it('refuses methods and paths without the token with 403, before telling them apart', async () => {
    expect((await request(server.port, { method: 'POST' })).status).toBe(403);
    expect((await request(server.port, { path: '/nope' })).status).toBe(403);
  });

  it('answers 500 with the error code, not a secret, when credentials cannot be had', async () => {
    fail = true;
    try {
      const answer = await request(server.port, { headers: auth() });
      expect(answer.status).toBe(500);
      expect(JSON.parse(answer.body)).toEqual({ code: 'STS_ACCESS_DENIED', message: 'STS said no' });
    } finally {
      fail = false;
    }
  });

  it('listens on 127.0.0.1 only', async () => {
    const address = server.port;
    expect(await connects('127.0.0.1', address)).toBe(true);
    expect(await connects('::1', address)).toBe(false);
    const others = Object.values(os.networkInterfaces())
      .flat()
      .filter((i): i is os.NetworkInterfaceInfo => i !== undefined && !i.internal && i.family === 'IPv4');
    for (const other of others) expect(await connects(other.address, address), other.address).toBe(false);
  });

  it('never logs the token or the credentials', () => {
    const text = lines.join('\n');
    expect(text).toContain('served credentials');
    expect(text).not.toContain(server.token);
    expect(text).not.toContain('secret-key');
    expect(text).not.toContain('session-token');
  });
});

describe('container credentials JSON', () => {
  it('uses Token and leaves out what is unknown', () => {
    const { sessionToken: _, accountId: __, ...bare } = creds(3);
    expect(JSON.parse(formatContainerCredentialsJson(bare))).toEqual({
      AccessKeyId: 'ASIAEXAMPLE00000003',
      SecretAccessKey: 'secret-key-3-abcdefghijklmnopqrstuvwxyz',
      Expiration: '2030-01-01T12:00:03Z',
    });
  });
});

describe('exec child environment', () => {
  const parent = {
    PATH: '/bin',
    AWS_PROFILE: 'dev',
    AWS_DEFAULT_PROFILE: 'x',
    AWS_SESSION_TOKEN: 'old',
    AWS_ROLE_ARN: 'arn',
    AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/t',
  };

  it('puts keys in, and every other credential source out', () => {
    const env = childEnvironment(
      parent,
      { kind: 'keys', credentials: creds(1) },
      { region: 'eu-west-1', profile: 'dev' },
    );
    expect(env).toEqual({
      PATH: '/bin',
      AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE00000001',
      AWS_SECRET_ACCESS_KEY: 'secret-key-1-abcdefghijklmnopqrstuvwxyz',
      AWS_SESSION_TOKEN: 'session-token-1-abcdefghijklmnopqrstuvwxyz',
      AWS_CREDENTIAL_EXPIRATION: '2030-01-01T12:00:01Z',
      AWS_ACCOUNT_ID: '123456789012',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      FEDLOGIN_PROFILE: 'dev',
    });
    expect(parent.AWS_PROFILE).toBe('dev');
  });

  it('gives only the endpoint and token with a server', () => {
    const env = childEnvironment(
      parent,
      { kind: 'endpoint', url: 'http://127.0.0.1:1/credentials', authorizationToken: 't' },
      { region: 'us-east-1', profile: 'dev' },
    );
    expect(env).toEqual({
      PATH: '/bin',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:1/credentials',
      AWS_CONTAINER_AUTHORIZATION_TOKEN: 't',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      FEDLOGIN_PROFILE: 'dev',
    });
  });
});
