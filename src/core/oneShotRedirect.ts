/**
 * A one-shot loopback redirect, so a secret URL (a console sign-in link with its SigninToken, an
 * OIDC authorization URL with its state) never appears on a command line: the browser is started
 * with http://127.0.0.1:PORT/<32 random bytes, base64url> instead, which any local user may read
 * in the process list but cannot use:
 * - it answers exactly one GET on that path, from this user, with 303 to the secret URL
 *   (Cache-Control: no-store, Referrer-Policy: no-referrer), then closes;
 * - anything else (another path, another method, a connection owned by another user where the
 *   kernel can tell, see loopbackPeer.ts) gets 404 and leaves the redirect unused;
 * - it closes by itself after `lifetimeMs` (2 minutes by default).
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fromThisUser } from './loopbackPeer.js';
import { sameSecret } from './sameSecret.js';

export const ONE_SHOT_LIFETIME_MS = 120_000;

export type OneShotOutcome = 'followed' | 'expired' | 'closed';

export interface OneShotRedirect {
  /** http://127.0.0.1:PORT/<unguessable path>: the only thing given to the browser */
  url: string;
  /** how it ended: followed once, expired unused, or closed by the caller */
  outcome: Promise<OneShotOutcome>;
  close(): Promise<void>;
}

export interface OneShotRedirectOptions {
  /** default ONE_SHOT_LIFETIME_MS */
  lifetimeMs?: number;
  /** whether a connection may be answered; default: not provably another user's (Linux) */
  allowPeer?: (socket: Socket) => boolean;
}

function notFound(res: http.ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
  res.end('Not found.\n');
}

export async function startOneShotRedirect(
  target: string,
  options: OneShotRedirectOptions = {},
): Promise<OneShotRedirect> {
  const path = `/${randomBytes(32).toString('base64url')}`;
  const allowPeer = options.allowPeer ?? ((socket: Socket) => fromThisUser(socket));
  let settle: (outcome: OneShotOutcome) => void = () => {};
  const outcome = new Promise<OneShotOutcome>((resolve) => (settle = resolve));
  let used = false;
  let closing: Promise<void> | undefined;

  const server = http.createServer((req, res) => {
    if (used || req.method !== 'GET' || !sameSecret(req.url, path) || !allowPeer(req.socket)) return notFound(res);
    used = true;
    res.writeHead(303, {
      location: target,
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'content-length': '0',
      connection: 'close',
    });
    res.end(() => void finish('followed'));
  });
  // A client that connects and says nothing must not hold the redirect open past its lifetime.
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;

  const finish = (how: OneShotOutcome): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      clearTimeout(timer);
      settle(how);
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closing;
  };
  let timer: NodeJS.Timeout | undefined;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  timer = setTimeout(() => void finish('expired'), options.lifetimeMs ?? ONE_SHOT_LIFETIME_MS);
  timer.unref();
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}${path}`, outcome, close: () => finish('closed') };
}
