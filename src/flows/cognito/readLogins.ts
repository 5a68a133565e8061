import type { CognitoLogins } from '../../aws/cognitoClient.js';
import { isFedloginError, refusedError, usageError } from '../../core/errors.js';
import { decodeJwtClaims, describeClaims, type JwtClaims } from '../../core/jwtClaims.js';
import type { Logger } from '../../core/logger.js';
import { isSamlProviderKey, type LoginSpec } from './loginSpec.js';

export interface ReadLogins {
  logins: CognitoLogins;
  /** "KEY: iss=..., sub=..." per login, never a token */
  descriptions: string[];
  /** the identity per login that is safe to keep: KEY, plus iss and sub when the token is a JWT */
  who: string[];
}

/** Tokens that expired longer ago than this are refused here; closer calls are left to Cognito. */
const EXPIRY_GRACE_SECONDS = 300;

function claimsOf(token: string): JwtClaims | undefined {
  try {
    return decodeJwtClaims(token);
  } catch {
    return undefined; // Facebook and Amazon tokens are opaque; Cognito checks them
  }
}

/** Reads each login's token from its file, afresh on every call; every token is a secret at once. */
export async function readLogins(
  specs: LoginSpec[],
  deps: { readFile(path: string): Promise<string>; logger: Logger; nowMs: number },
): Promise<ReadLogins> {
  const out: ReadLogins = { logins: {}, descriptions: [], who: [] };
  for (const spec of specs) {
    let token: string;
    try {
      token = (await deps.readFile(spec.file)).trim();
    } catch (error) {
      if (isFedloginError(error)) throw error; // too large: already says so
      throw usageError(
        'COGNITO_LOGIN_FILE',
        `Cannot read the token for ${spec.key} from ${spec.file} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
        { hint: 'Check the path after @ in --login KEY=@FILE.', cause: error },
      );
    }
    deps.logger.addSecret(token);
    if (!token) throw usageError('COGNITO_LOGIN_FILE', `The token file ${spec.file} for ${spec.key} is empty.`);
    if (Object.hasOwn(out.logins, spec.key))
      throw usageError('COGNITO_LOGIN_DUPLICATE', `The login key ${spec.key} is given twice.`);
    out.logins[spec.key] = token;

    const claims = isSamlProviderKey(spec.key) ? undefined : claimsOf(token);
    if (!claims) {
      out.descriptions.push(
        `${spec.key}: ${isSamlProviderKey(spec.key) ? 'SAML response' : 'opaque token'} from ${spec.file}`,
      );
      out.who.push(spec.key);
      continue;
    }
    out.descriptions.push(`${spec.key}: ${describeClaims(claims)}`);
    out.who.push(`${spec.key}|${claims.iss ?? ''}|${claims.sub ?? ''}`);
    deps.logger.debug(`login ${spec.key} from ${spec.file}: ${describeClaims(claims)}`);
    if (typeof claims.exp === 'number' && claims.exp + EXPIRY_GRACE_SECONDS < deps.nowMs / 1000) {
      throw refusedError(
        'TOKEN_EXPIRED',
        `The token for ${spec.key} in ${spec.file} expired at ${new Date(claims.exp * 1000).toISOString()} (${describeClaims(claims)}).`,
        { hint: 'Sign in again at the identity provider and write the new ID token to that file.' },
      );
    }
  }
  return out;
}
