import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { failurePage, successPage } from './callbackPages.js';

/** What arrived on the loopback redirect, and how to answer the waiting browser tab. */
export interface CallbackArrival {
  /** the full redirect URL, with code/state or error */
  url: URL;
  /** sends the success or failure page to the browser (once) */
  respond(outcome: { ok: true } | { ok: false; message: string }): void;
}

export interface CallbackListener {
  /** http://127.0.0.1:PORT/callback (RFC 8252 loopback redirect, any port; the path as asked) */
  redirectUri: string;
  /** the first request to /callback; rejects with the signal's reason */
  arrival(signal: AbortSignal): Promise<CallbackArrival>;
  close(): Promise<void>;
}

const CALLBACK_PATH = '/callback';

export interface CallbackListenerOptions {
  /** the redirect's path; default /callback (the sso flow uses /oauth/callback, as the AWS CLI does) */
  path?: string;
}

function send(res: ServerResponse, status: number, html: string): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'close',
  });
  res.end(html);
}

/**
 * The request target as a URL on this listener, or undefined for a bad request: a target that is
 * not a plain path (origin-form, RFC 9112 3.2.1: not an absolute URL, `*`, `//host/...`), or a
 * Host header other than 127.0.0.1:PORT. The URL is parsed against the fixed base, never the
 * Host header, which is the client's to choose.
 */
function callbackRequestUrl(target: string | undefined, host: string | undefined, base: string): URL | undefined {
  if (!target?.startsWith('/') || target.startsWith('//')) return undefined;
  // the browser follows http://127.0.0.1:PORT/callback, so it names exactly that host (this also
  // turns away a page that rebinds its own DNS name to 127.0.0.1)
  if (host?.toLowerCase() !== new URL(base).host) return undefined;
  try {
    return new URL(target, base);
  } catch {
    return undefined;
  }
}

/** A one-shot HTTP listener on 127.0.0.1 and a free port for the authorization redirect. */
export async function startCallbackListener(options: CallbackListenerOptions = {}): Promise<CallbackListener> {
  const callbackPath = options.path ?? CALLBACK_PATH;
  let deliver: ((arrival: CallbackArrival) => void) | undefined;
  let pending: ServerResponse | undefined;
  let base = 'http://127.0.0.1';
  const arrived = new Promise<CallbackArrival>((resolve) => (deliver = resolve));
  const server = createServer((req, res) => {
    const url = callbackRequestUrl(req.url, req.headers.host, base);
    // a bad request is answered and forgotten: the sign-in waits on for the real redirect
    if (!url) return send(res, 400, failurePage('Not a valid request.'));
    if (req.method !== 'GET' || url.pathname !== callbackPath)
      return send(res, 404, failurePage('Not a fedlogin sign-in address.'));
    if (!deliver) return send(res, 409, failurePage('This sign-in has already been answered.'));
    const once = deliver;
    deliver = undefined;
    pending = res;
    once({
      url,
      respond(outcome) {
        send(res, outcome.ok ? 200 : 400, outcome.ok ? successPage() : failurePage(outcome.message));
      },
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;
  return {
    redirectUri: `http://127.0.0.1:${port}${callbackPath}`,
    arrival(signal) {
      return new Promise<CallbackArrival>((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        arrived.then(resolve, reject);
      });
    },
    async close() {
      if (pending) send(pending, 500, failurePage('fedlogin stopped before finishing.'));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
