import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { usageError } from '../../core/errors.js';

/**
 * Which certificate authorities fedlogin's calls trust, decided once for the SDK clients and the
 * node:http layer alike.
 *
 * - Nothing set: Node's default store, which is Node's bundled roots plus NODE_EXTRA_CA_CERTS
 *   (Node reads that file itself at start-up), through a proxy tunnel too.
 * - AWS_CA_BUNDLE, else the profile's `ca_bundle` (botocore's precedence): that PEM file is ADDED
 *   to the default store (bundled roots + NODE_EXTRA_CA_CERTS). botocore replaces the roots with
 *   it instead; adding means the same file works in both, and a host outside the TLS-inspecting
 *   proxy (NO_PROXY) still verifies against the public roots. Documented in docs/proxy.md.
 */
export interface CaBundleChoice {
  path: string;
  /** for messages: "AWS_CA_BUNDLE" or "the profile's ca_bundle" */
  source: string;
}

export function caBundleChoice(
  profileCaBundle: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): CaBundleChoice | undefined {
  if (env.AWS_CA_BUNDLE) return { path: env.AWS_CA_BUNDLE, source: 'AWS_CA_BUNDLE' };
  if (profileCaBundle) return { path: profileCaBundle, source: "the profile's ca_bundle" };
  return undefined;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The bundle's own PEM certificates, or a CA_BUNDLE_UNREADABLE error naming the setting. */
export function readCaBundle({ path, source }: CaBundleChoice): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw usageError(
      'CA_BUNDLE_UNREADABLE',
      `Could not read the CA bundle ${path} named by ${source} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
      { hint: `Point ${source} at a readable PEM file holding your network's root CA, or unset it.` },
    );
  }
  const certificates = text.match(PEM_CERTIFICATE) ?? [];
  if (certificates.length === 0) {
    throw usageError('CA_BUNDLE_UNREADABLE', `The CA bundle ${path} named by ${source} holds no PEM certificate.`, {
      hint: 'A CA bundle is PEM text with one or more -----BEGIN CERTIFICATE----- blocks (convert DER with openssl x509 -inform der).',
    });
  }
  return certificates;
}

const cache = new Map<string, string[]>();

/**
 * The `ca` option for a TLS connection: undefined for Node's default store (nothing to add), else
 * the default store's certificates plus the bundle's. Read once per file and process.
 */
export function trustedCas(choice: CaBundleChoice | undefined, env: NodeJS.ProcessEnv = process.env) {
  if (!choice) return undefined;
  const key = `${choice.path}\n${env.NODE_EXTRA_CA_CERTS ?? ''}`;
  let cas = cache.get(key);
  if (!cas) {
    // Node's `ca` option replaces the default store, so the defaults are listed again; Node 20 has
    // no API that lists NODE_EXTRA_CA_CERTS, so that file is read here as Node read it.
    const extra = env.NODE_EXTRA_CA_CERTS ? readExtra(env.NODE_EXTRA_CA_CERTS) : [];
    cas = [...rootCertificates, ...extra, ...readCaBundle(choice)];
    cache.set(key, cas);
  }
  return cas;
}

function readExtra(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').match(PEM_CERTIFICATE) ?? [];
  } catch {
    // Node warned about it at start-up and went on without it: so does fedlogin
    return [];
  }
}
