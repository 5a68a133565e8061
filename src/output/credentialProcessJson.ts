import type { Credentials } from '../core/credentials.js';
import { usageError } from '../core/errors.js';
import { formatRfc3339Seconds, parseRfc3339 } from './rfc3339.js';

/**
 * The one line `credential_process` prints on stdout:
 * `{"Version":1,"AccessKeyId":..,"SecretAccessKey":..,"SessionToken":..,"Expiration":..,"AccountId":..}`.
 * Version is the number 1 (the Go SDK rejects the string); Expiration is RFC 3339 UTC in whole
 * seconds; SessionToken and AccountId appear only when known.
 */
export function formatCredentialProcessJson(creds: Credentials): string {
  const body: Record<string, string | number> = {
    Version: 1,
    AccessKeyId: creds.accessKeyId,
    SecretAccessKey: creds.secretAccessKey,
  };
  if (creds.sessionToken) body.SessionToken = creds.sessionToken;
  body.Expiration = formatRfc3339Seconds(creds.expiration);
  if (creds.accountId) body.AccountId = creds.accountId;
  return `${JSON.stringify(body)}\n`;
}

const HINT =
  'A credential_process command must print one JSON object on stdout: ' +
  '{"Version":1,"AccessKeyId":"...","SecretAccessKey":"...","SessionToken":"...","Expiration":"2026-01-01T12:00:00Z"}.';

/**
 * Reads credential_process output back, checking what the AWS SDK's getValidatedProcessCredentials
 * checks (Version is the number 1, both keys present) and a little more: the keys must be
 * non-empty strings, and Expiration must be present and RFC 3339, because fedlogin's Credentials
 * always expire and the Go SDK rejects any other date shape. Expiry against the clock is the
 * caller's business (msUntilExpiry): this stays pure.
 *
 * Error messages name fields, never their values, except Version and Expiration, which are not
 * secret.
 */
export function parseCredentialProcessJson(text: string, source = 'The credential_process output'): Credentials {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // No `cause`: a JSON SyntaxError quotes the input, which holds secrets.
    throw usageError('CREDENTIAL_PROCESS_INVALID_JSON', `${source} is not valid JSON.`, { hint: HINT });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw usageError('CREDENTIAL_PROCESS_INVALID_JSON', `${source} is not a JSON object.`, { hint: HINT });
  }
  const fields = data as Record<string, unknown>;

  if (fields.Version !== 1) {
    throw usageError(
      'CREDENTIAL_PROCESS_VERSION',
      `${source} has ${describeVersion(fields.Version)}; only Version 1 (the number) is supported.`,
      { hint: HINT },
    );
  }

  const accessKeyId = requiredString(fields, 'AccessKeyId', source);
  const secretAccessKey = requiredString(fields, 'SecretAccessKey', source);
  const sessionToken = optionalString(fields, 'SessionToken', source);
  const accountId = optionalString(fields, 'AccountId', source);

  const expirationText = fields.Expiration;
  if (expirationText === undefined || expirationText === null || expirationText === '') {
    throw usageError(
      'CREDENTIAL_PROCESS_EXPIRATION',
      `${source} has no Expiration; fedlogin only handles credentials that expire.`,
      { hint: HINT },
    );
  }
  const expiration = typeof expirationText === 'string' ? parseRfc3339(expirationText) : undefined;
  if (!expiration) {
    const shown =
      typeof expirationText === 'string' ? JSON.stringify(expirationText.slice(0, 40)) : `a ${typeof expirationText}`;
    throw usageError(
      'CREDENTIAL_PROCESS_EXPIRATION',
      `${source} has an Expiration that is not an RFC 3339 date-time: ${shown}.`,
      { hint: 'Expected a timestamp such as 2026-01-01T12:00:00Z.' },
    );
  }

  return {
    accessKeyId,
    secretAccessKey,
    ...(sessionToken !== undefined && { sessionToken }),
    expiration,
    ...(accountId !== undefined && { accountId }),
  };
}

function requiredString(fields: Record<string, unknown>, name: string, source: string): string {
  const value = fields[name];
  if (typeof value === 'string' && value.length > 0) return value;
  const problem = value === undefined ? `has no ${name}` : `has a ${name} that is not a non-empty string`;
  throw usageError('CREDENTIAL_PROCESS_MISSING_KEYS', `${source} ${problem}.`, { hint: HINT });
}

/** Absent, null and "" all mean "not given", as the SDKs treat them. */
function optionalString(fields: Record<string, unknown>, name: string, source: string): string | undefined {
  const value = fields[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  throw usageError('CREDENTIAL_PROCESS_INVALID_FIELD', `${source} has a ${name} that is not a string.`, { hint: HINT });
}

function describeVersion(version: unknown): string {
  if (version === undefined) return 'no Version';
  if (typeof version === 'number') return `Version ${version}`;
  if (typeof version === 'string' && version.length <= 10) return `Version ${JSON.stringify(version)} (a string)`;
  return `a Version of type ${version === null ? 'null' : typeof version}`;
}
