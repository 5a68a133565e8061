/**
 * What a TLS error code from Node (OpenSSL's verify codes, and Node's own host-name check) means
 * for the person, and which setting fixes it. Pure: the messages are built in networkFailure.ts.
 */
export type TlsProblem = 'unknown-issuer' | 'expired' | 'not-yet-valid' | 'wrong-name' | 'handshake';

const CODES: Record<string, TlsProblem> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unknown-issuer',
  UNABLE_TO_GET_ISSUER_CERT: 'unknown-issuer',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unknown-issuer',
  SELF_SIGNED_CERT_IN_CHAIN: 'unknown-issuer',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'unknown-issuer',
  CERT_UNTRUSTED: 'unknown-issuer',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'not-yet-valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'wrong-name',
  HOSTNAME_MISMATCH: 'wrong-name',
  ERR_SSL_WRONG_VERSION_NUMBER: 'handshake',
  EPROTO: 'handshake',
};

/** The TLS problem behind an error (its code, or its cause's), or undefined when it is not one. */
export function tlsProblem(error: unknown): { problem: TlsProblem; code: string } | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code && CODES[code]) return { problem: CODES[code], code };
    if (code?.startsWith('ERR_SSL_')) return { problem: 'handshake', code };
    e = e.cause as typeof e;
  }
  return undefined;
}

/** What failed, in words: "its issuer is not a trusted certificate authority" */
export function tlsProblemText(problem: TlsProblem): string {
  switch (problem) {
    case 'unknown-issuer':
      return 'its issuer is not a trusted certificate authority';
    case 'expired':
      return 'it has expired';
    case 'not-yet-valid':
      return 'it is not valid yet';
    case 'wrong-name':
      return 'it was issued for another host name';
    case 'handshake':
      return 'the TLS handshake failed';
  }
}

/** The setting that fixes it. `bundle` names the CA bundle in use, if any. */
export function tlsProblemFix(problem: TlsProblem, bundle?: string): string {
  switch (problem) {
    case 'unknown-issuer':
      return bundle
        ? `The CA bundle ${bundle} does not hold its issuer: add your network's root CA (PEM) to it, or point AWS_CA_BUNDLE at the right file.`
        : "If your network inspects TLS, set AWS_CA_BUNDLE (or the profile's ca_bundle, or NODE_EXTRA_CA_CERTS) to a PEM file holding its root CA.";
    case 'expired':
    case 'not-yet-valid':
      return "Check this machine's clock; if it is right, the server (or the TLS-inspecting proxy) presents a bad certificate: tell its owner.";
    case 'wrong-name':
      return 'Check the endpoint or issuer URL you set; if a proxy inspects TLS for this host, ask for a certificate with its name, or list the host in NO_PROXY.';
    case 'handshake':
      return 'Check that the URL speaks https on that port, and that HTTPS_PROXY starts with http:// for a plain proxy.';
  }
}
