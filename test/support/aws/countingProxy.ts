import http from 'node:http';
import { readBody, startLoopbackServer } from '../harness/loopbackServer.js';

/**
 * A loopback HTTP proxy in front of moto that counts requests per operation, for the Query
 * protocol (Action=...) and JSON 1.1 (X-Amz-Target) alike, so interop tests can prove how many
 * exchanges reached STS or Cognito.
 */
export interface CountingProxy {
  url: string;
  count(operation: string): number;
  close(): Promise<void>;
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const counts = new Map<string, number>();
  const upstream = new URL(target);
  const server = await startLoopbackServer(async (req, res) => {
    const body = await readBody(req);
    const amzTarget = req.headers['x-amz-target'];
    const operation =
      typeof amzTarget === 'string'
        ? amzTarget.slice(amzTarget.lastIndexOf('.') + 1)
        : (new URLSearchParams(body.toString('utf8')).get('Action') ??
          new URL(req.url ?? '/', 'http://x').searchParams.get('Action') ??
          'unknown');
    counts.set(operation, (counts.get(operation) ?? 0) + 1);
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    forward.end(body);
  });
  return { url: server.url, count: (operation) => counts.get(operation) ?? 0, close: () => server.close() };
}
