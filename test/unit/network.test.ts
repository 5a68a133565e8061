import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { browserProxy } from '../../src/aws/network/browserProxy.js';
import { httpRequest } from '../../src/aws/network/httpRequest.js';
import { networkFailure, proxyStatusFailure, sdkNetworkFailure } from '../../src/aws/network/networkFailure.js';
import { oidcFetch } from '../../src/aws/network/oidcFetch.js';
import { anyProxySet, proxyForUrl } from '../../src/aws/network/proxyForUrl.js';
import { maskProxyUrl, PROXY_VARIABLES, proxyPasswords } from '../../src/aws/network/proxyUrl.js';
import { tlsProblem } from '../../src/aws/network/tlsFailure.js';
import { caBundleChoice, trustedCas } from '../../src/aws/network/trust.js';
import { sdkClientSettings } from '../../src/aws/sdkClientSettings.js';
import { createSts } from '../../src/aws/stsClient.js';
import { silentLogger } from '../../src/core/logger.js';
import { readBody, startLoopbackServer } from '../support/harness/loopbackServer.js';

/** Every proxy and CA variable cleared (the machine's own may be set), then the test's. */
function networkEnv(values: Record<string, string> = {}) {
  for (const name of [...PROXY_VARIABLES, 'no_proxy', 'NO_PROXY', 'AWS_CA_BUNDLE']) vi.stubEnv(name, '');
  for (const [name, value] of Object.entries(values)) vi.stubEnv(name, value);
}
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('proxy URLs shown and redacted', () => {
  it('masks the password, keeps the user, host and port', () => {
    expect(maskProxyUrl('http://alice:s3cr%40t@proxy.corp:3128')).toBe('http://alice:****@proxy.corp:3128');
    expect(maskProxyUrl(new URL('http://proxy.corp:3128'))).toBe('http://proxy.corp:3128');
    expect(maskProxyUrl('not a url:pw@host')).not.toContain('pw');
  });

  it('lists every proxy password, as written and decoded, for the logger', () => {
    const passwords = proxyPasswords({
      HTTPS_PROXY: 'http://alice:s3cr%40t@proxy.corp:3128',
      http_proxy: 'bob:plain-password@proxy.corp:8080',
      NO_PROXY: 'user:notapassword@x',
    });
    expect(passwords).toEqual(expect.arrayContaining(['s3cr%40t', 's3cr@t', 'plain-password']));
    expect(passwords).not.toContain('notapassword');
  });
});

describe('which proxy a URL goes through (proxy-from-env, botocore precedence)', () => {
  it('uses HTTPS_PROXY for https and HTTP_PROXY for http; lowercase wins when both are set', () => {
    networkEnv({ HTTPS_PROXY: 'http://upper:3128', https_proxy: 'http://lower:3128', HTTP_PROXY: 'http://plain:80' });
    expect(proxyForUrl('https://sts.us-east-1.amazonaws.com')?.host).toBe('lower:3128');
    expect(proxyForUrl('http://169.254.1.1/x')?.host).toBe('plain');
    expect(anyProxySet()).toBe(true);
  });

  it('goes direct without a proxy variable', () => {
    networkEnv();
    expect(proxyForUrl('https://sts.amazonaws.com')).toBeUndefined();
    expect(anyProxySet()).toBe(false);
  });

  it('reads NO_PROXY in either case: hosts, .domain suffixes, host:port and *', () => {
    networkEnv({ HTTPS_PROXY: 'http://proxy:3128', no_proxy: 'idp.corp, .internal.example,sts.local:8443' });
    expect(proxyForUrl('https://idp.corp/x')).toBeUndefined();
    expect(proxyForUrl('https://a.internal.example')).toBeUndefined();
    expect(proxyForUrl('https://sts.local:8443')).toBeUndefined();
    expect(proxyForUrl('https://sts.local')?.host).toBe('proxy:3128');
    expect(proxyForUrl('https://other.corp')?.host).toBe('proxy:3128');
    // an entry without a leading dot covers the hosts under it too (botocore, Go), with its port if it has one
    expect(proxyForUrl('https://login.idp.corp/x')).toBeUndefined();
    expect(proxyForUrl('https://a.sts.local:8443')).toBeUndefined();
    expect(proxyForUrl('https://a.sts.local')?.host).toBe('proxy:3128');
    expect(proxyForUrl('https://notidp.corp')?.host).toBe('proxy:3128');
    vi.stubEnv('no_proxy', '');
    vi.stubEnv('NO_PROXY', '*');
    expect(proxyForUrl('https://anything.example')).toBeUndefined();
  });

  it('takes a proxy written without a scheme as http:// (as botocore does), keeps https:// proxies', () => {
    networkEnv({ HTTPS_PROXY: 'proxy.corp:3128' });
    expect(proxyForUrl('https://sts.amazonaws.com')?.href).toBe('http://proxy.corp:3128/');
    vi.stubEnv('HTTPS_PROXY', 'https://secure-proxy:443');
    expect(proxyForUrl('https://sts.amazonaws.com')?.protocol).toBe('https:');
  });

  it('refuses a proxy that is not a URL, naming it with its password masked', () => {
    networkEnv({ HTTPS_PROXY: 'socks5://alice:hunter2hunter2@proxy:1080' });
    expect(() => proxyForUrl('https://sts.amazonaws.com')).toThrow(
      expect.objectContaining({ code: 'PROXY_SETTING_INVALID', message: expect.not.stringContaining('hunter2') }),
    );
  });

  it("gives the SAML browser the https proxy, NO_PROXY as bypass and the URL's credentials", () => {
    networkEnv({ HTTPS_PROXY: 'http://alice:s3cr%40t@proxy.corp:3128', NO_PROXY: 'idp.corp .corp.example' });
    expect(browserProxy()).toEqual({
      server: 'http://proxy.corp:3128',
      bypass: 'idp.corp,.idp.corp,.corp.example',
      username: 'alice',
      password: 's3cr@t',
    });
    vi.stubEnv('NO_PROXY', '*');
    expect(browserProxy()).toBeUndefined();
  });
});

describe('TLS failures, classified from the error code', () => {
  it.each([
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unknown-issuer'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'unknown-issuer'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'unknown-issuer'],
    ['CERT_HAS_EXPIRED', 'expired'],
    ['CERT_NOT_YET_VALID', 'not-yet-valid'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'wrong-name'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'handshake'],
  ])('%s is %s', (code, problem) => {
    expect(tlsProblem(Object.assign(new Error('x'), { code }))?.problem).toBe(problem);
    // found on a cause too (an SDK or library wrapper)
    expect(tlsProblem({ cause: { code } })?.problem).toBe(problem);
  });

  it('is not a TLS problem when the code is a plain network one', () => {
    expect(tlsProblem({ code: 'ECONNREFUSED' })).toBeUndefined();
  });

  it('names the host, what failed and the setting that fixes it; exit 2, not 4', () => {
    const error = networkFailure(Object.assign(new Error('x'), { code: 'CERT_HAS_EXPIRED' }), {
      url: new URL('https://sts.us-east-1.amazonaws.com/'),
    });
    expect(error).toMatchObject({ code: 'TLS_CERTIFICATE_REJECTED', kind: 'usage' });
    expect(error?.message).toContain('sts.us-east-1.amazonaws.com');
    expect(error?.message).toContain('expired');
    const unknown = networkFailure(Object.assign(new Error('x'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }), {
      url: new URL('https://idp.corp/'),
      proxy: new URL('http://alice:pw-in-the-proxy-url@proxy:3128'),
    });
    expect(unknown?.message).toContain('through the proxy http://alice:****@proxy:3128');
    expect(unknown?.hint).toContain('AWS_CA_BUNDLE');
    expect(unknown?.hint).toContain('NODE_EXTRA_CA_CERTS');
  });

  it('tells a proxy that cannot be reached (exit 4) from a proxy that says no (exit 3)', () => {
    const proxy = new URL('http://alice:pw-in-the-proxy-url@proxy.corp:3128');
    const url = new URL('https://sts.amazonaws.com/');
    const refused = Object.assign(new Error('connect'), { code: 'ENOTFOUND', hostname: 'proxy.corp' });
    expect(networkFailure(refused, { url, proxy })).toMatchObject({ code: 'PROXY_UNREACHABLE', kind: 'unreachable' });
    expect(networkFailure(refused, { url })).toBeUndefined();
    const auth = proxyStatusFailure(407, { url, proxy });
    expect(auth).toMatchObject({ code: 'PROXY_AUTH_REFUSED', kind: 'refused' });
    expect(auth?.message).not.toContain('pw-in-the-proxy-url');
    expect(proxyStatusFailure(403, { url, proxy })).toMatchObject({ code: 'PROXY_REFUSED' });
    expect(proxyStatusFailure(503, { url, proxy })).toMatchObject({ code: 'PROXY_UNREACHABLE' });
  });

  it("reads an SDK error's 407 as the proxy's, only when a proxy is in use", () => {
    const sdk407 = Object.assign(new Error('Unknown'), { $metadata: { httpStatusCode: 407 } });
    networkEnv({ HTTPS_PROXY: 'http://proxy.corp:3128' });
    expect(sdkNetworkFailure(sdk407, 'https://sts.amazonaws.com')).toMatchObject({ code: 'PROXY_AUTH_REFUSED' });
    networkEnv();
    expect(sdkNetworkFailure(sdk407, 'https://sts.amazonaws.com')).toBeUndefined();
  });
});

describe('the node:http layer against loopback servers', () => {
  let server: Awaited<ReturnType<typeof startLoopbackServer>>;
  beforeAll(async () => {
    server = await startLoopbackServer(async (req, res) => {
      const body = (await readBody(req)).toString();
      if (req.url === '/redirect') {
        res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end();
      } else if (req.url === '/big') {
        res.end(Buffer.alloc(2048, 'x'));
      } else if (req.url === '/silent') {
        // never answers; the request's time limit ends it
      } else {
        res.writeHead(200, { 'content-type': 'application/json', date: 'Mon, 30 Nov 2026 07:00:00 GMT' });
        res.end(JSON.stringify({ method: req.method, body, auth: req.headers.authorization ?? null }));
      }
    });
  });
  afterAll(() => server.close());
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('sends the method, headers and body, and reads status, headers and JSON', async () => {
    networkEnv();
    const response = await httpRequest(`${server.url}/echo`, {
      method: 'POST',
      headers: { authorization: 'Bearer request-token', 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(response.status).toBe(200);
    expect(response.ok).toBe(true);
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(JSON.parse(await response.text())).toEqual({
      method: 'POST',
      body: '{"a":1}',
      auth: 'Bearer request-token',
    });
  });

  it('never follows a redirect', async () => {
    networkEnv();
    const response = await httpRequest(`${server.url}/redirect`);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('http://127.0.0.1:1/elsewhere');
  });

  it('stops reading an answer larger than the cap', async () => {
    networkEnv();
    await expect(httpRequest(`${server.url}/big`, { maxBytes: 1024 })).rejects.toMatchObject({
      code: 'ERESPONSETOOLARGE',
    });
  });

  it('ends a request that gets no answer with a TimeoutError', async () => {
    networkEnv();
    await expect(httpRequest(`${server.url}/silent`, { timeoutMs: 200 })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
  });

  it('leaves a refused connection as the Node error (the caller words it)', async () => {
    networkEnv();
    await expect(httpRequest('http://127.0.0.1:1/')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('gives openid-client a real Response (customFetch), with a form body', async () => {
    networkEnv();
    const fetchLike = oidcFetch();
    const response = await fetchLike(`${server.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token' }),
      redirect: 'manual',
    } as Parameters<typeof fetchLike>[1]);
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(((await response.json()) as { body: string }).body).toBe('grant_type=refresh_token');
  });
});

describe('trust: AWS_CA_BUNDLE and the profile ca_bundle, for the layer and the SDK alike', () => {
  let dir: string;
  let tls: Server;
  let url: string;
  let caFile: string;
  const seen: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'fedlogin-network-'));
    const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    run(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=fedlogin unit test CA',
    );
    run(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'server.key',
      '-out',
      'server.csr',
      '-subj',
      '/CN=localhost',
    );
    writeFileSync(path.join(dir, 'ext'), 'subjectAltName=DNS:localhost\n');
    run(
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.pem',
      '-days',
      '2',
      '-extfile',
      'ext',
    );
    caFile = path.join(dir, 'ca.pem');
    tls = createServer(
      { key: readFileSync(path.join(dir, 'server.key')), cert: readFileSync(path.join(dir, 'server.pem')) },
      (req, res) => {
        seen.push(`${req.method} ${req.url}`);
        req.resume();
        res.writeHead(403, { 'content-type': 'text/xml' });
        res.end(
          '<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>denied by the test</Message></Error><RequestId>r</RequestId></ErrorResponse>',
        );
      },
    );
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    url = `https://localhost:${(tls.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => tls.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('prefers AWS_CA_BUNDLE over the profile ca_bundle (botocore order)', () => {
    expect(caBundleChoice('/profile.pem', { AWS_CA_BUNDLE: '/env.pem' })).toEqual({
      path: '/env.pem',
      source: 'AWS_CA_BUNDLE',
    });
    expect(caBundleChoice('/profile.pem', {})?.source).toBe("the profile's ca_bundle");
    expect(caBundleChoice(undefined, {})).toBeUndefined();
  });

  it("adds the bundle to Node's roots rather than replacing them", () => {
    const cas = trustedCas({ path: caFile, source: 'AWS_CA_BUNDLE' }, {}) ?? [];
    expect(cas.length).toBeGreaterThan(100);
    expect(cas.at(-1)).toContain('BEGIN CERTIFICATE');
  });

  it('refuses an unknown issuer with the host, what failed and the fix', async () => {
    networkEnv();
    const failure = httpRequest(`${url}/`);
    await expect(failure).rejects.toMatchObject({ code: 'TLS_CERTIFICATE_REJECTED', kind: 'usage' });
    await expect(failure).rejects.toThrow(/localhost:\d+.*issuer is not a trusted/);
  });

  it('trusts the private CA from AWS_CA_BUNDLE, or from the profile ca_bundle', async () => {
    networkEnv({ AWS_CA_BUNDLE: caFile });
    expect((await httpRequest(`${url}/env`)).status).toBe(403);
    networkEnv();
    expect((await httpRequest(`${url}/profile`, { caBundle: caFile })).status).toBe(403);
    expect(seen).toEqual(expect.arrayContaining(['GET /env', 'GET /profile']));
  });

  it('says which file is missing and which setting named it', async () => {
    networkEnv({ AWS_CA_BUNDLE: path.join(dir, 'missing.pem') });
    await expect(httpRequest(`${url}/`)).rejects.toMatchObject({
      code: 'CA_BUNDLE_UNREADABLE',
      message: expect.stringContaining('AWS_CA_BUNDLE'),
    });
  });

  it('applies the bundle to every SDK client built with sdkClientSettings', async () => {
    const sts = () =>
      createSts({
        region: 'us-east-1',
        endpoint: url,
        logger: silentLogger,
        retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      });
    const call = async () =>
      (await sts()).assumeRoleWithWebIdentity(
        { roleArn: 'arn:aws:iam::111122223333:role/r', roleSessionName: 's', webIdentityToken: 'not-a-token' },
        { action: 'AssumeRoleWithWebIdentity', roleArn: 'arn:aws:iam::111122223333:role/r', endpoint: url },
      );
    networkEnv();
    await expect(call()).rejects.toMatchObject({ code: 'TLS_CERTIFICATE_REJECTED' });
    networkEnv({ AWS_CA_BUNDLE: caFile });
    // TLS passed: the stand-in's own AccessDenied came back
    await expect(call()).rejects.toMatchObject({ code: 'STS_ACCESS_DENIED' });
  });

  it('keeps its options plain (nothing loads) without a proxy or bundle, and its old signature', () => {
    networkEnv();
    const settings = sdkClientSettings({ connectTimeoutMs: 1000 });
    expect(settings).toEqual({
      maxAttempts: 1,
      requestHandler: { connectionTimeout: 1000, requestTimeout: expect.any(Number), throwOnRequestTimeout: true },
    });
    networkEnv({ HTTPS_PROXY: 'http://proxy.corp:3128' });
    expect(typeof sdkClientSettings({ endpoint: 'https://sts.amazonaws.com' }).requestHandler).toBe('function');
  });
});
