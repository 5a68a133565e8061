import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A private certificate authority made in the test (openssl, EC P-256 keys, two days of validity),
 * like a company's TLS-inspection CA, and one server certificate it signs for every name the lab
 * stands in for. Nothing is committed: the keys live in the lab's temporary folder only.
 * The extensions are what strict verifiers ask for (Python 3.13's VERIFY_X509_STRICT, Node's
 * OpenSSL 3): a critical CA basicConstraints, key usages, subject and authority key identifiers.
 */

export interface CertificateAuthority {
  /** the CA certificate, PEM: what AWS_CA_BUNDLE / NODE_EXTRA_CA_CERTS / ca_bundle point at */
  certPem: string;
  certFile: string;
  keyFile: string;
}

export interface ServerCertificate {
  certPem: string;
  keyPem: string;
  /** the DNS names in its subjectAltName */
  names: string[];
}

const DAYS = '2';
/** a new EC P-256 key, unencrypted */
const NEW_EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
}

/** A CA whose key and certificate are written into `dir` (a private temporary folder). */
export function makeCertificateAuthority(dir: string, commonName = 'fedlogin test corporate CA'): CertificateAuthority {
  const config = path.join(dir, 'ca.cnf');
  writeFileSync(
    config,
    [
      '[req]',
      'distinguished_name = dn',
      'x509_extensions = v3_ca',
      'prompt = no',
      '[dn]',
      'O = fedlogin tests',
      `CN = ${commonName}`,
      '[v3_ca]',
      'basicConstraints = critical, CA:TRUE, pathlen:0',
      'keyUsage = critical, keyCertSign, cRLSign',
      'subjectKeyIdentifier = hash',
      'authorityKeyIdentifier = keyid:always',
      '',
    ].join('\n'),
  );
  openssl(dir, [
    'req',
    '-x509',
    ...NEW_EC_KEY,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    DAYS,
    '-config',
    config,
  ]);
  const certFile = path.join(dir, 'ca.pem');
  return { certPem: readFileSync(certFile, 'utf8'), certFile, keyFile: path.join(dir, 'ca.key') };
}

/** A server certificate signed by `ca` for `names` (DNS subjectAltNames), made in `dir`. */
export function issueServerCertificate(dir: string, ca: CertificateAuthority, names: string[]): ServerCertificate {
  if (names.length === 0) throw new Error('a server certificate needs at least one name');
  const ext = path.join(dir, 'server.ext');
  writeFileSync(
    ext,
    [
      'basicConstraints = critical, CA:FALSE',
      'keyUsage = critical, digitalSignature',
      'extendedKeyUsage = serverAuth',
      'subjectKeyIdentifier = hash',
      'authorityKeyIdentifier = keyid, issuer',
      `subjectAltName = ${names.map((n) => `DNS:${n}`).join(', ')}`,
      '',
    ].join('\n'),
  );
  openssl(dir, [
    'req',
    '-new',
    ...NEW_EC_KEY,
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    `/O=fedlogin tests/CN=${names[0]}`,
  ]);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    ca.certFile,
    '-CAkey',
    ca.keyFile,
    '-CAcreateserial',
    '-days',
    DAYS,
    '-sha256',
    '-extfile',
    ext,
    '-out',
    'server.pem',
  ]);
  return {
    certPem: readFileSync(path.join(dir, 'server.pem'), 'utf8'),
    keyPem: readFileSync(path.join(dir, 'server.key'), 'utf8'),
    names,
  };
}
