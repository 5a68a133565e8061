import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { formatRfc3339Seconds } from '../../output/rfc3339.js';
import { writeFileAtomic } from '../../store/atomicWrite.js';
import { homeDir } from '../../store/awsPaths.js';
import { cacheDir } from '../../store/cacheDir.js';
import { ensurePrivateDir } from '../../store/privateDir.js';
import type { SsoSession } from './settings.js';

/**
 * The token cache the AWS CLI v2, botocore, the JS and Go SDKs share:
 * ~/.aws/sso/cache/<sha1 hex of the sso-session name>.json, JSON with startUrl, region,
 * accessToken, expiresAt (RFC 3339 UTC, whole seconds, as the AWS CLI writes it), refreshToken,
 * clientId, clientSecret and registrationExpiresAt. fedlogin reads what `aws sso login` wrote and
 * writes what they read; fields it does not know are kept. Replaced atomically, 0600 in a 0700
 * folder (it holds a bearer token).
 */
export interface SsoTokenEntry {
  startUrl: string;
  region: string;
  accessToken: string;
  expiresAt: Date;
  refreshToken?: string | undefined;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  registrationExpiresAt?: Date | undefined;
  /** fields written by another tool, kept as they are */
  extra?: Record<string, unknown>;
}

export function ssoCacheFolder(env: NodeJS.ProcessEnv): string {
  return join(homeDir(env), '.aws', 'sso', 'cache');
}

export function ssoTokenPath(env: NodeJS.ProcessEnv, session: SsoSession): string {
  return join(ssoCacheFolder(env), `${session.cacheKey}.json`);
}

const KNOWN = new Set([
  'startUrl',
  'region',
  'accessToken',
  'expiresAt',
  'refreshToken',
  'clientId',
  'clientSecret',
  'registrationExpiresAt',
]);

function dateOf(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  // the AWS CLI writes 2026-11-30T10:00:00Z, the JS SDK toISOString(), older botocore +00:00 or UTC
  const ms = Date.parse(value.replace(/UTC$/, 'Z'));
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

const str = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/** The cache entry, or undefined when there is none or it cannot be used (another tool will overwrite it too). */
export function readSsoToken(env: NodeJS.ProcessEnv, session: SsoSession): SsoTokenEntry | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(ssoTokenPath(env, session), 'utf8'));
  } catch {
    return undefined;
  }
  if (!raw || typeof raw !== 'object') return undefined;
  const o = raw as Record<string, unknown>;
  const accessToken = str(o.accessToken);
  const expiresAt = dateOf(o.expiresAt);
  if (!accessToken || !expiresAt) return undefined;
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(o)) if (!KNOWN.has(key)) extra[key] = value;
  return {
    startUrl: str(o.startUrl) ?? session.startUrl,
    region: str(o.region) ?? session.region,
    accessToken,
    expiresAt,
    refreshToken: str(o.refreshToken),
    clientId: str(o.clientId),
    clientSecret: str(o.clientSecret),
    registrationExpiresAt: dateOf(o.registrationExpiresAt),
    extra,
  };
}

/** The JSON the AWS tools read, keys in the AWS CLI's order. */
export function ssoTokenJson(entry: SsoTokenEntry): string {
  const out: Record<string, unknown> = {
    ...entry.extra,
    startUrl: entry.startUrl,
    region: entry.region,
    accessToken: entry.accessToken,
    expiresAt: formatRfc3339Seconds(entry.expiresAt),
  };
  if (entry.clientId) out.clientId = entry.clientId;
  if (entry.clientSecret) out.clientSecret = entry.clientSecret;
  if (entry.registrationExpiresAt) out.registrationExpiresAt = formatRfc3339Seconds(entry.registrationExpiresAt);
  if (entry.refreshToken) out.refreshToken = entry.refreshToken;
  return JSON.stringify(out);
}

export function writeSsoToken(env: NodeJS.ProcessEnv, session: SsoSession, entry: SsoTokenEntry): void {
  ensurePrivateDir(ssoCacheFolder(env));
  writeFileAtomic(ssoTokenPath(env, session), ssoTokenJson(entry), { mode: 0o600, keepMode: false });
}

/** Removes the cache file; true when there was one. */
export function deleteSsoToken(env: NodeJS.ProcessEnv, session: SsoSession): boolean {
  try {
    rmSync(ssoTokenPath(env, session));
    return true;
  } catch {
    return false;
  }
}

/** A client registration (RegisterClient), kept in fedlogin's own cache until it expires. */
export interface SsoRegistration {
  clientId: string;
  clientSecret: string;
  expiresAt: Date;
}

export type RegistrationKind = 'authorization-code' | 'device';

function registrationPath(env: NodeJS.ProcessEnv, session: SsoSession, kind: RegistrationKind): string {
  return join(cacheDir(env), 'sso', `${session.cacheKey}-${kind}.json`);
}

export function readRegistration(
  env: NodeJS.ProcessEnv,
  session: SsoSession,
  kind: RegistrationKind,
): SsoRegistration | undefined {
  try {
    const o = JSON.parse(readFileSync(registrationPath(env, session, kind), 'utf8')) as Record<string, unknown>;
    const expiresAt = dateOf(o.expiresAt);
    const clientId = str(o.clientId);
    const clientSecret = str(o.clientSecret);
    if (!clientId || !clientSecret || !expiresAt || o.startUrl !== session.startUrl) return undefined;
    return { clientId, clientSecret, expiresAt };
  } catch {
    return undefined;
  }
}

export function writeRegistration(
  env: NodeJS.ProcessEnv,
  session: SsoSession,
  kind: RegistrationKind,
  registration: SsoRegistration,
): void {
  const path = registrationPath(env, session, kind);
  ensurePrivateDir(join(cacheDir(env), 'sso'));
  writeFileAtomic(
    path,
    JSON.stringify({
      startUrl: session.startUrl,
      region: session.region,
      clientId: registration.clientId,
      clientSecret: registration.clientSecret,
      expiresAt: formatRfc3339Seconds(registration.expiresAt),
    }),
    { mode: 0o600, keepMode: false },
  );
}

export function deleteRegistrations(env: NodeJS.ProcessEnv, session: SsoSession): void {
  for (const kind of ['authorization-code', 'device'] as const)
    rmSync(registrationPath(env, session, kind), { force: true });
}
