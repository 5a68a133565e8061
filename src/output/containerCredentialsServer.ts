/**
 * A container-credentials endpoint on 127.0.0.1 (what ECS gives a task), for `fedlogin exec
 * --server` and `fedlogin serve`. The SDKs find it through AWS_CONTAINER_CREDENTIALS_FULL_URI and
 * send AWS_CONTAINER_AUTHORIZATION_TOKEN as the raw `Authorization` header.
 *
 * Every request asks `getCredentials`, which reads the cache and refreshes through the profile's
 * flow inside the refresh window, so a long-running child never receives expired credentials.
 *
 * Who may ask: only a caller that presents the token (compared in constant time) and names the
 * endpoint by its loopback address in `Host` (a web page that rebinds a DNS name to 127.0.0.1
 * sends its own host name, and is refused). Everything else gets 403; with the token, other
 * methods get 405 and other paths 404.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Credentials } from '../core/credentials.js';
import { isFedloginError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { sameSecret } from '../core/sameSecret.js';
import { formatContainerCredentialsJson } from './containerCredentialsJson.js';

export const CONTAINER_CREDENTIALS_PATH = '/credentials';

export interface ContainerCredentialsServerOptions {
  getCredentials: () => Promise<Credentials>;
  logger: Logger;
  /** the authorization token; 32 random bytes (base64url) unless given */
  token?: string;
  /** default 0: a free port */
  port?: number;
}

export interface ContainerCredentialsServer {
  /** http://127.0.0.1:PORT/credentials, for AWS_CONTAINER_CREDENTIALS_FULL_URI */
  url: string;
  port: number;
  /** for AWS_CONTAINER_AUTHORIZATION_TOKEN */
  token: string;
  close(): Promise<void>;
}

export function newAuthorizationToken(): string {
  return randomBytes(32).toString('base64url');
}

function allowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const value = host.toLowerCase();
  return value === `127.0.0.1:${port}` || value === `localhost:${port}`;
}

function send(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(body);
}

const errorBody = (code: string, message: string) => JSON.stringify({ code, message });

export async function startContainerCredentialsServer(
  options: ContainerCredentialsServerOptions,
): Promise<ContainerCredentialsServer> {
  const { logger } = options;
  const token = options.token ?? newAuthorizationToken();
  logger.addSecret(token);
  let port = 0;

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    if (!allowedHost(req.headers.host, port) || !sameSecret(req.headers.authorization, token)) {
      logger.debug(`credentials endpoint: refused ${req.method} ${path} (host or token)`);
      return send(
        res,
        403,
        errorBody('Forbidden', 'Missing or wrong authorization token, or not addressed to 127.0.0.1.'),
      );
    }
    if (req.method !== 'GET')
      return send(res, 405, errorBody('MethodNotAllowed', 'Only GET is supported.'), { allow: 'GET' });
    if (path !== CONTAINER_CREDENTIALS_PATH)
      return send(res, 404, errorBody('NotFound', `Credentials are served at ${CONTAINER_CREDENTIALS_PATH}.`));
    try {
      const credentials = await options.getCredentials();
      logger.debug(`credentials endpoint: served credentials expiring ${credentials.expiration.toISOString()}`);
      send(res, 200, formatContainerCredentialsJson(credentials));
    } catch (error) {
      const code = isFedloginError(error) ? error.code : 'InternalError';
      const message = logger.redact(isFedloginError(error) ? error.message : 'fedlogin could not get credentials.');
      logger.notice(`fedlogin: the credentials endpoint could not get credentials: ${message}`);
      send(res, 500, errorBody(code, message));
    }
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, errorBody('InternalError', 'fedlogin could not answer.'));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}${CONTAINER_CREDENTIALS_PATH}`,
    port,
    token,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
