import { randomInt } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

/**
 * The TLS stand-in for the real names (sts.us-east-1.amazonaws.com, an IdP's name, ...): one
 * node:https server presenting the lab's certificate (every name in its subjectAltName), that
 * forwards each request over plain HTTP to the loopback backend routed for its Host (the STS
 * double, moto, oidc-provider, the samlify IdP), with X-Forwarded-Proto/-Host as a TLS terminator
 * sends them. Unrouted names answer 502 naming the host.
 *
 * It listens on port 443, the port in the URL the SDK builds for an AWS name, so it cannot use
 * port 0. Each front takes an address of its own in 127/8 (all loopback on Linux), drawn at random
 * and redrawn when the bind fails with EADDRINUSE: the kernel's bind is the lock between test files
 * running in parallel (and engineers sharing the machine), no lock file, no fixed address.
 */

export interface TlsFrontRequest {
  host: string;
  method: string;
  url: string;
  status?: number;
}

export interface TlsFront {
  /** the 127.x.y.z the front listens on (port 443) */
  address: string;
  port: number;
  /** sends requests for `host` to `backendUrl`'s origin (http://127.0.0.1:PORT) */
  route(host: string, backendUrl: string): void;
  /** requests answered so far, in order */
  requests: TlsFrontRequest[];
  /** the requests for one host */
  requestsFor(host: string): TlsFrontRequest[];
  close(): Promise<void>;
}

export interface TlsFrontOptions {
  keyPem: string;
  certPem: string;
  /** default 443 */
  port?: number;
  /** how many addresses to try before giving up; default 40 */
  attempts?: number;
}

export async function startTlsFront(opts: TlsFrontOptions): Promise<TlsFront> {
  const routes = new Map<string, URL>();
  const requests: TlsFrontRequest[] = [];
  const port = opts.port ?? 443;

  const server = https.createServer({ key: opts.keyPem, cert: opts.certPem }, (req, res) => {
    const hostHeader = req.headers.host ?? '';
    const host = hostHeader.replace(/:\d+$/, '').toLowerCase();
    const entry: TlsFrontRequest = { host, method: req.method ?? 'GET', url: req.url ?? '/' };
    requests.push(entry);
    const backend = routes.get(host);
    if (!backend) {
      entry.status = 502;
      res.writeHead(502, { 'content-type': 'text/plain' }).end(`no backend routed for ${host}\n`);
      return;
    }
    const upstream = http.request(
      {
        hostname: backend.hostname,
        port: backend.port,
        method: req.method,
        path: req.url,
        headers: {
          ...req.headers,
          'x-forwarded-proto': 'https',
          'x-forwarded-host': hostHeader,
          'x-forwarded-for': req.socket.remoteAddress ?? '127.0.0.1',
        },
      },
      (answer) => {
        entry.status = answer.statusCode;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      entry.status = 502;
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`backend for ${host} failed: ${error.message}\n`);
    });
    req.pipe(upstream);
  });
  // A client that gives up on TLS (unknown CA: the tests of a missing AWS_CA_BUNDLE) is expected.
  server.on('tlsClientError', () => {});

  const attempts = opts.attempts ?? 40;
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    const address = `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
    try {
      await listen(server, address, port);
      return {
        address,
        port,
        route(host, backendUrl) {
          routes.set(host.toLowerCase(), new URL(backendUrl));
        },
        requests,
        requestsFor: (host) => requests.filter((r) => r.host === host.toLowerCase()),
        close: () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      };
    } catch (error) {
      lastError = error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EACCES') {
        throw new Error(
          `the TLS front cannot listen on port ${port} (EACCES): run as root, or lower ` +
            'net.ipv4.ip_unprivileged_port_start to 443',
        );
      }
      if (code !== 'EADDRINUSE') throw error;
    }
  }
  throw new Error(`no free loopback address for port ${port} after ${attempts} tries: ${String(lastError)}`);
}

function listen(server: https.Server, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, address, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
