/**
 * A SAMLResponse kept in the secret store for the few minutes it stays good, so that renewing many
 * roles of one IdP costs one IdP round trip (sharedAssertion.ts). Pure: the key of an IdP sign-in,
 * the entry's text, and whether an entry may be used now for a role.
 *
 * The entry is usable until the earliest of its NotOnOrAfter and capture + 5 minutes (what AWS
 * accepts of an assertion), minus a safety margin, so that STS still takes it when it gets there.
 * Its value is JSON: {version: 1, samlResponse, capturedAt, usableUntil (ISO 8601), roles: [role ARN]}.
 * Anything else is no entry.
 */
import { sha256Hex } from '../../core/sha256.js';
import { browserProfileDir } from './browserProfileDir.js';
import type { SamlAssertionInfo } from './parseAssertion.js';

/** AWS accepts an assertion for 5 minutes after it was issued */
export const ASSERTION_MAX_AGE_MS = 5 * 60_000;
/** taken off the end, so that STS still accepts it when the call reaches it */
export const ASSERTION_SAFETY_MARGIN_MS = 60_000;

export interface AssertionEntry {
  /** the base64 SAMLResponse: a secret */
  samlResponse: string;
  /** epoch ms when it was captured */
  capturedAt: number;
  /** epoch ms after which it is not used */
  usableUntil: number;
  /** the role ARNs it grants */
  roles: string[];
}

/** What identifies one sign-in at an IdP: its URL and the browser profile holding its session. */
export interface IdpSignIn {
  idpUrl: string;
  browserProfile?: string | undefined;
  browserUrl?: string | undefined;
}

/** The IdP URL as one spelling: trimmed, scheme and host lower case, default port dropped. */
export function normaliseIdpUrl(idpUrl: string): string {
  const trimmed = idpUrl.trim();
  try {
    return new URL(trimmed).href;
  } catch {
    return trimmed;
  }
}

/**
 * The store key of an IdP sign-in: the normalised IdP URL and the browser profile whose session
 * answers it (the person's own profile or running browser, else fedlogin's profile for that URL).
 * Not secret (a hash).
 */
export function assertionKey(signIn: IdpSignIn, env: NodeJS.ProcessEnv): string {
  const browser = signIn.browserUrl
    ? `attach:${signIn.browserUrl}`
    : signIn.browserProfile
      ? `profile:${signIn.browserProfile}`
      : `fedlogin:${browserProfileDir(env, signIn.idpUrl)}`;
  return `saml-assertion-v1-${sha256Hex(JSON.stringify([normaliseIdpUrl(signIn.idpUrl), browser])).slice(0, 32)}`;
}

/** The entry for an assertion just captured; undefined when it is not worth keeping (already too old). */
export function assertionEntry(
  samlResponse: string,
  info: { notOnOrAfter?: Date | undefined; roles: readonly Pick<SamlAssertionInfo['roles'][number], 'roleArn'>[] },
  capturedAt: number,
): AssertionEntry | undefined {
  const limit = Math.min(info.notOnOrAfter?.getTime() ?? Number.POSITIVE_INFINITY, capturedAt + ASSERTION_MAX_AGE_MS);
  const usableUntil = limit - ASSERTION_SAFETY_MARGIN_MS;
  if (!(usableUntil > capturedAt) || info.roles.length === 0) return undefined;
  return { samlResponse, capturedAt, usableUntil, roles: info.roles.map((r) => r.roleArn) };
}

export function serializeAssertionEntry(entry: AssertionEntry): string {
  return JSON.stringify({
    version: 1,
    samlResponse: entry.samlResponse,
    capturedAt: new Date(entry.capturedAt).toISOString(),
    usableUntil: new Date(entry.usableUntil).toISOString(),
    roles: entry.roles,
  });
}

const time = (v: unknown) => (typeof v === 'string' ? Date.parse(v) : Number.NaN);

/** The entry in `text`, or undefined for anything that is not one whole. */
export function parseAssertionEntry(text: string | undefined): AssertionEntry | undefined {
  if (text === undefined) return undefined;
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v.version !== 1) return undefined;
  const { samlResponse, roles } = v;
  const capturedAt = time(v.capturedAt);
  const usableUntil = time(v.usableUntil);
  if (typeof samlResponse !== 'string' || samlResponse.length === 0) return undefined;
  if (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string')) return undefined;
  if (Number.isNaN(capturedAt) || Number.isNaN(usableUntil)) return undefined;
  return { samlResponse, capturedAt, usableUntil, roles };
}

/**
 * Why the entry cannot be used now for `roleArn` (undefined: it can). An entry captured "in the
 * future" (the clock went back) is not trusted either.
 */
export function entryUnusable(
  entry: AssertionEntry | undefined,
  now: number,
  roleArn: string | undefined,
): string | undefined {
  if (!entry) return 'none kept';
  if (now >= entry.usableUntil) return `it expired at ${new Date(entry.usableUntil).toISOString()}`;
  if (entry.capturedAt > now + ASSERTION_SAFETY_MARGIN_MS) return 'it was captured later than now (clock change)';
  if (roleArn !== undefined && !entry.roles.includes(roleArn)) return `it does not grant ${roleArn}`;
  return undefined;
}
