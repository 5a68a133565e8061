import { connect } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { spawnCli } from '../support/cli/spawnCli.js';
import { makeTempHome } from '../support/cli/tempHome.js';
import { followAsBrowser } from '../support/harness/followRedirects.js';
import { startScriptedIdp } from '../support/idp/oidcScriptedIdp.js';

/**
 * Issue 14, item 10: the OIDC loopback callback listener, hit with requests it cannot parse while a
 * real sign-in waits (a raw TCP socket, as no HTTP client sends them). Each gets 400; nothing
 * crashes, nothing of the query string is printed, and the real callback afterwards signs in.
 */

const ROLE = 'arn:aws:iam::123456789012:role/dev';
const AUTH_URL = /(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)/;
const MARK = 'leakmeQUERYSTRING';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

/** Sends raw bytes to 127.0.0.1:port and resolves everything the server wrote before closing. */
function rawRequest(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
    socket.once('error', reject);
    socket.once('close', () => resolve(answer));
  });
}

it('attack: malformed requests to the OIDC callback (Host: [, a target that is not a path) get 400 and the sign-in goes on', async () => {
  const home = await makeTempHome();
  const idp = await startScriptedIdp();
  const sts = await startStsEndpoint({
    roles: { [ROLE]: { trust: { issuer: idp.issuer, audiences: [idp.clientId] } } },
  });
  cleanups.push(
    () => idp.close(),
    () => sts.close(),
  );
  const cli = spawnCli(
    ['oidc', '--issuer', idp.issuer, '--client-id', idp.clientId, '--role-arn', ROLE, '--no-browser', '--debug'],
    {
      home: home.home,
      env: { AWS_ENDPOINT_URL_STS: sts.url, AWS_REGION: 'us-east-1', FEDLOGIN_STORE: 'file' },
      timeoutMs: 30_000,
    },
  );
  const [, authUrl] = await cli.waitForStderr(AUTH_URL);
  const port = Number(new URL(new URL(authUrl!).searchParams.get('redirect_uri')!).port);
  const query = `code=${MARK}&state=${MARK}`;

  const attacks = [
    // the reported crash: TypeError: Invalid URL from new URL(req.url, `http://${host}`)
    `GET /callback?${query} HTTP/1.1\r\nHost: [\r\nConnection: close\r\n\r\n`,
    // request targets that are not a path
    `GET http://attacker.example/callback?${query} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
    `GET //attacker.example/callback?${query} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
    `GET * HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
    // a page that rebinds its DNS name to 127.0.0.1
    `GET /callback?${query} HTTP/1.1\r\nHost: rebind.attacker.example:${port}\r\nConnection: close\r\n\r\n`,
  ];
  for (const attack of attacks) {
    const answer = await rawRequest(port, attack);
    expect(answer, attack).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).not.toContain(MARK);
  }

  // the real redirect still signs in
  const page = await followAsBrowser(authUrl!);
  expect(page.html).toContain('Signed in to fedlogin');
  const result = await cli.result;
  expect(result.code, result.stderr).toBe(0);
  expect(sts.issued).toHaveLength(1);
  expect(result.stderr).not.toContain(MARK);
  expect(result.stderr).not.toMatch(/TypeError|Invalid URL|^\s+at /m);
});
