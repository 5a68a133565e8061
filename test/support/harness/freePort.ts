import net from 'node:net';

/**
 * A loopback port that was free a moment ago (listen on 127.0.0.1:0, read it, close), for a
 * process that must be told its port up front (moto_server, a browser's debugging port) or for a
 * URL where nothing listens. A server of our own listens on port 0 itself instead.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
