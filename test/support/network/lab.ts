import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { registerSecret } from '../harness/leakScan.js';
import { waitFor } from '../harness/polling.js';
import { forSuite } from '../harness/suite.js';
import { type CertificateAuthority, issueServerCertificate, makeCertificateAuthority } from './certificates.js';
import { type ProxyLogEntry, type Squid, startSquid } from './squid.js';
import { startTlsFront, type TlsFront } from './tlsFront.js';

/**
 * A corporate network on loopback, one per test file: a private CA, one TLS front on port 443 of
 * an address of its own in 127/8 presenting a certificate for the real names, and squid resolving
 * those names (from its own hosts file) to that front. The client (fedlogin, the aws CLI) cannot
 * resolve the names itself, so a success proves the proxy carried the call. Tests route each name
 * to a loopback backend (`lab.route(STS_HOST, sts.url)`), give the client `lab.env()` and read
 * squid's access.log (`lab.proxyLog()`, `lab.connects(host)`) to prove each CONNECT.
 */

export const STS_HOST = 'sts.us-east-1.amazonaws.com';
export const STS_GLOBAL_HOST = 'sts.amazonaws.com';
export const COGNITO_HOST = 'cognito-identity.us-east-1.amazonaws.com';
/** the company's IdP (OIDC issuer https://idp.corp.example, the SAML IdP) */
export const IDP_HOST = 'idp.corp.example';
/** GitHub Actions' ID-token service, as ACTIONS_ID_TOKEN_REQUEST_URL names it */
export const GITHUB_TOKEN_HOST = 'pipelines.actions.githubusercontent.com';
/** a name the lab maps to the front, for requests that only mark a point in the proxy's log */
const MARKER_HOST = 'lab-marker.corp.example';

export const LAB_NAMES = [STS_HOST, STS_GLOBAL_HOST, COGNITO_HOST, IDP_HOST, GITHUB_TOKEN_HOST];

/** The components a test using the lab needs (describeWith). */
export const NETWORK_LAB_COMPONENTS = ['cmd:squid', 'cmd:htpasswd', 'cmd:openssl'] as const;

/** The lab's proxy user; its password has characters that must be percent-encoded in a URL. */
export const PROXY_USER = 'corp-user';

export interface NetworkLab {
  /** the lab's private folder (CA, squid's config and logs) */
  dir: string;
  ca: CertificateAuthority;
  /** the CA file: what AWS_CA_BUNDLE / NODE_EXTRA_CA_CERTS / ca_bundle point at */
  caFile: string;
  front: TlsFront;
  squid: Squid;
  /** http://127.0.0.1:PORT: the proxy without authentication */
  proxyUrl: string;
  /** the Basic-authentication proxy's password (registered with the leak scan) */
  proxyPassword: string;
  /** http://USER:PASSWORD@127.0.0.1:PORT with the credentials percent-encoded; a wrong password on request */
  authProxyUrl(password?: string): string;
  /** sends requests for `host` to a loopback backend's origin */
  route(host: string, backendUrl: string): void;
  /**
   * HTTPS_PROXY/HTTP_PROXY (both cases) at `proxyUrl` (the open port unless given) and
   * AWS_CA_BUNDLE at the lab's CA (unless `ca: false`), for a client's environment.
   */
  env(opts?: { proxyUrl?: string; ca?: boolean }): Record<string, string>;
  /**
   * squid's access.log, complete up to now: a marker request is sent through the proxy after
   * whatever the test did and the log is read once the marker is in it.
   */
  proxyLog(): Promise<ProxyLogEntry[]>;
  /** the CONNECT entries for `host` (host:443) in proxyLog() */
  connects(host: string): Promise<ProxyLogEntry[]>;
  close(): Promise<void>;
}

export interface NetworkLabOptions {
  /** more names for the certificate and squid's hosts file */
  names?: string[];
}

export async function startNetworkLab(opts: NetworkLabOptions = {}): Promise<NetworkLab> {
  const dir = mkdtempSync(path.join(tmpdir(), 'fedlogin-netlab-'));
  const names = [...new Set([...LAB_NAMES, ...(opts.names ?? [])])];
  let front: TlsFront | undefined;
  let squid: Squid | undefined;
  try {
    const ca = makeCertificateAuthority(dir);
    const cert = issueServerCertificate(dir, ca, [...names, MARKER_HOST]);
    rmSync(path.join(dir, 'ca.key'));
    front = await startTlsFront({ keyPem: cert.keyPem, certPem: cert.certPem });
    rmSync(path.join(dir, 'server.key'));
    const proxyPassword = `p@ss:w/rd%${Math.random().toString(36).slice(2, 10)}`;
    registerSecret(proxyPassword, 'token', "the lab proxy's Basic-authentication password");
    const hosts = Object.fromEntries([...names, MARKER_HOST].map((n) => [n, (front as TlsFront).address]));
    squid = await startSquid({ dir, hosts, users: { [PROXY_USER]: proxyPassword } });
    const started = { front, squid };
    let marks = 0;

    const proxyLog = async () => {
      const mark = `/lab-mark-${++marks}-${Date.now()}`;
      await markThroughProxy(started.squid.url, `http://${MARKER_HOST}:1${mark}`);
      return waitFor(
        async () => {
          const entries = await started.squid.log();
          return entries.some((e) => e.url.endsWith(mark))
            ? entries.filter((e) => !e.url.includes('/lab-mark-'))
            : false;
        },
        { timeoutMs: 15_000, what: `the marker ${mark} in squid's access.log` },
      );
    };

    const authUrl = new URL(squid.authUrl ?? squid.url);
    return {
      dir,
      ca,
      caFile: ca.certFile,
      front,
      squid,
      proxyUrl: squid.url,
      proxyPassword,
      authProxyUrl(password = proxyPassword) {
        const url = new URL(authUrl);
        url.username = encodeURIComponent(PROXY_USER);
        url.password = encodeURIComponent(password);
        return url.toString().replace(/\/$/, '');
      },
      route: (host, backendUrl) => started.front.route(host, backendUrl),
      env({ proxyUrl = started.squid.url, ca: trustCa = true } = {}) {
        return {
          HTTPS_PROXY: proxyUrl,
          https_proxy: proxyUrl,
          HTTP_PROXY: proxyUrl,
          http_proxy: proxyUrl,
          ...(trustCa ? { AWS_CA_BUNDLE: ca.certFile } : {}),
        };
      },
      proxyLog,
      async connects(host) {
        return (await proxyLog()).filter((e) => e.method === 'CONNECT' && e.url === `${host}:443`);
      },
      async close() {
        await Promise.all([started.squid.close(), started.front.close()]);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.all([squid?.close(), front?.close()]);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Trusts the lab's CA in Chromium for one HOME, as a company installs its inspection CA: an NSS
 * database at HOME/.pki/nssdb (where Chromium on Linux looks) holding the CA (certutil, from
 * libnss3-tools: component 'cmd:certutil').
 */
export function trustCaInChromium(home: string, caFile: string): void {
  const db = path.join(home, '.pki', 'nssdb');
  mkdirSync(db, { recursive: true, mode: 0o700 });
  const certutil = (args: string[]) =>
    execFileSync('certutil', ['-d', `sql:${db}`, ...args], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
  certutil(['-N', '--empty-password']);
  certutil(['-A', '-t', 'C,,', '-n', 'fedlogin test corporate CA', '-i', caFile]);
}

/** One plain GET through the proxy to a port where nothing listens: squid answers at once and logs it. */
function markThroughProxy(proxyUrl: string, target: string): Promise<void> {
  const proxy = new URL(proxyUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: proxy.hostname, port: proxy.port, method: 'GET', path: target, timeout: 10_000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve());
      },
    );
    req.on('timeout', () => req.destroy(new Error('the marker request through the proxy timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** The lab for the describe block (or file) this is called in: started in beforeAll, stopped in afterAll. */
export function networkLabForSuite(opts: NetworkLabOptions = {}): NetworkLab {
  return forSuite(
    'the network lab',
    () => startNetworkLab(opts),
    (lab) => lab.close(),
  );
}
