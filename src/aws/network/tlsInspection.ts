import { X509Certificate } from 'node:crypto';
import * as https from 'node:https';
import { rootCertificates, type TLSSocket } from 'node:tls';
import { proxyAgentFor } from './agents.js';

/**
 * Who issued the certificate a host presents, as seen from here (through the proxy when one is
 * set), and whether that issuer is one of the public roots Node ships (tls.rootCertificates).
 * When it is not, something between here and the host re-signs TLS: a TLS-inspecting proxy (or a
 * private endpoint). For doctor's info line. The connection only reads the certificate (it is not
 * verified, nothing is sent but a HEAD /), so it works even when verification would fail.
 */
export interface TlsIssuer {
  /** the top certificate of the chain as presented: its issuer's name, e.g. "CN=Corp Root CA" */
  issuer: string;
  /** the chain ends at (or is issued by) a public root Node ships */
  publicRoot: boolean;
}

let roots: { fingerprints: Set<string>; subjects: Set<string> } | undefined;
function publicRoots() {
  if (!roots) {
    roots = { fingerprints: new Set(), subjects: new Set() };
    for (const pem of rootCertificates) {
      const certificate = new X509Certificate(pem);
      roots.fingerprints.add(certificate.fingerprint256);
      roots.subjects.add(certificate.subject);
    }
  }
  return roots;
}

export async function tlsIssuer(target: URL, timeoutMs: number): Promise<TlsIssuer> {
  const routed = await proxyAgentFor(target);
  const raw = await new Promise<Buffer[]>((resolve, reject) => {
    const request = https.request(
      target,
      {
        method: 'HEAD',
        rejectUnauthorized: false,
        agent: routed?.agent ?? new https.Agent({ keepAlive: false }),
        signal: AbortSignal.timeout(timeoutMs),
      },
      (response) => {
        const socket = response.socket as TLSSocket;
        const chain: Buffer[] = [];
        let certificate = socket.getPeerCertificate(true);
        while (certificate?.raw && !chain.some((seen) => seen.equals(certificate.raw))) {
          chain.push(certificate.raw);
          certificate = certificate.issuerCertificate;
        }
        response.resume();
        request.destroy();
        resolve(chain);
      },
    );
    request.on('error', reject);
    request.end();
  });
  if (raw.length === 0) throw new Error('no certificate presented');
  const chain = raw.map((der) => new X509Certificate(der));
  const { fingerprints, subjects } = publicRoots();
  const top = chain[chain.length - 1] as X509Certificate;
  const publicRoot = chain.some((c) => fingerprints.has(c.fingerprint256)) || subjects.has(top.issuer);
  return { issuer: top.issuer.replace(/\n/g, ', '), publicRoot };
}
