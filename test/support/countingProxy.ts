import http from 'node:http';
import { readBody, startLoopbackServer } from './loopbackServer.js';

/**
 * A loopback HTTP proxy in front of a Query-protocol endpoint (moto) that counts requests per
 * Action, so interop tests can prove how many exchanges reached STS.
 */
export interface CountingProxy {
  url: string;
  count(action: string): number;
  close(): Promise<void>;
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const counts = new Map<string, number>();
  const upstream = new URL(target);
  const server = await startLoopbackServer(async (req, res) => {
    const body = await readBody(req);
    const action = new URLSearchParams(body.toString('utf8')).get('Action') ?? 'unknown';
    counts.set(action, (counts.get(action) ?? 0) + 1);
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
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
  return { url: server.url, count: (action) => counts.get(action) ?? 0, close: () => server.close() };
}
