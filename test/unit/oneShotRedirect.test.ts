import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { openSecretUrl } from '../../src/core/browser.js';
import { tcpSocketUid } from '../../src/core/loopbackPeer.js';
import { startOneShotRedirect } from '../../src/core/oneShotRedirect.js';

const SECRET = 'http://127.0.0.1:9/federation?Action=login&SigninToken=EXAMPLEnotarealtoken';

function ask(url: string, method = 'GET'): Promise<{ status: number; location?: string | undefined } | 'refused'> {
  return new Promise((resolve) => {
    const req = request(url, { method, timeout: 5000 }, (res) => {
      res.resume();
      res.once('end', () => resolve({ status: res.statusCode!, location: res.headers.location }));
    });
    req.once('error', () => resolve('refused'));
    req.end();
  });
}

describe('the one-shot loopback redirect', () => {
  it('answers one GET on its path with 303, after refusing other methods, paths and peers without being used up', async () => {
    let peerAllowed = false;
    const redirect = await startOneShotRedirect(SECRET, { allowPeer: () => peerAllowed });
    expect(redirect.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{43}$/);
    const base = new URL(redirect.url);
    expect(await ask(redirect.url)).toEqual({ status: 404, location: undefined }); // another user's connection
    peerAllowed = true;
    expect(await ask(`${base.origin}/`)).toMatchObject({ status: 404 });
    expect(await ask(`${redirect.url}x`)).toMatchObject({ status: 404 });
    expect(await ask(`${redirect.url}?a=b`)).toMatchObject({ status: 404 });
    expect(await ask(redirect.url, 'HEAD')).toMatchObject({ status: 404 });
    expect(await ask(redirect.url, 'POST')).toMatchObject({ status: 404 });
    expect(await ask(redirect.url)).toEqual({ status: 303, location: SECRET });
    expect(await redirect.outcome).toBe('followed');
    expect(await ask(redirect.url)).toBe('refused');
  });

  it('closes unused after its lifetime, saying so through its outcome', async () => {
    const redirect = await startOneShotRedirect(SECRET, { lifetimeMs: 20 });
    expect(await redirect.outcome).toBe('expired');
    expect(await ask(redirect.url)).toBe('refused');
  });

  it('two redirects never share a path', async () => {
    const [a, b] = await Promise.all([startOneShotRedirect(SECRET), startOneShotRedirect(SECRET)]);
    expect(new URL(a.url).pathname).not.toBe(new URL(b.url).pathname);
    await Promise.all([a.close(), b.close()]);
    expect(await a.outcome).toBe('closed');
  });

  it('openSecretUrl hands the opener only the loopback URL, and closes the redirect when no browser starts', async () => {
    const given: string[] = [];
    expect(
      await openSecretUrl(SECRET, {
        open: async (url) => {
          given.push(url);
          return false;
        },
      }),
    ).toBeUndefined();
    expect(given).toHaveLength(1);
    expect(given[0]).not.toContain('SigninToken');
    expect(await ask(given[0]!)).toBe('refused');
  });
});

describe('tcpSocketUid (/proc/net/tcp)', () => {
  const table = [
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
    '   0: 0100007F:A5C1 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 1452 1 0 100 0 0 10 0',
    '   1: 0100007F:1F90 0100007F:A5C1 01 00000000:00000000 00:00000000 00000000     0        0 1453 1 0 100 0 0 10 0',
  ].join('\n');
  it("finds the client's socket by its two ends and reads its owner", () => {
    expect(tcpSocketUid(table, { address: '127.0.0.1', port: 0xa5c1 }, { address: '127.0.0.1', port: 8080 })).toBe(
      1000,
    );
    expect(
      tcpSocketUid(table, { address: '::ffff:127.0.0.1', port: 8080 }, { address: '127.0.0.1', port: 0xa5c1 }),
    ).toBe(0);
    expect(
      tcpSocketUid(table, { address: '127.0.0.1', port: 1 }, { address: '127.0.0.1', port: 8080 }),
    ).toBeUndefined();
    expect(tcpSocketUid(table, { address: '::1', port: 0xa5c1 }, { address: '127.0.0.1', port: 8080 })).toBeUndefined();
  });
});
