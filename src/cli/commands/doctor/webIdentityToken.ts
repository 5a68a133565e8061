import { describeClaims, type JwtClaims } from '../../../core/jwtClaims.js';
import { type Check, fail, ok, warn } from './check.js';

export interface TokenCheckInput {
  claims: JwtClaims;
  /** where the token came from, for the message: "token file /x" */
  source: string;
  roleArn: string | undefined;
  /** the audience STS expects: fedlogin_audience, else the partition's (sts.amazonaws.com) */
  expectedAudience: string;
  now: number;
  profile?: string | undefined;
}

/**
 * The token's iss/aud/sub/exp against the role it will be exchanged for. Decoded, not verified:
 * STS verifies. Never shows the token, only its claims. Pure.
 */
export function webIdentityTokenCheck(input: TokenCheckInput): Check {
  const { claims, source, roleArn, expectedAudience, now, profile } = input;
  const described = `${source}: ${describeClaims(claims)}${roleArn ? ` -> ${roleArn}` : ''}`;
  if (typeof claims.exp === 'number' && claims.exp * 1000 <= now) {
    return warn(
      'web-identity-token',
      `${described}: the token has expired, so STS will refuse it.`,
      'Make whatever writes the token refresh it (Kubernetes/CI do this themselves), then check again.',
      profile,
    );
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : claims.aud === undefined ? [] : [claims.aud];
  if (!audiences.includes(expectedAudience)) {
    return warn(
      'web-identity-token',
      `${described}: aud does not include ${expectedAudience}, which the role's trust policy usually requires.`,
      `Request the token for audience ${expectedAudience}, or set fedlogin_audience if the trust policy names another.`,
      profile,
    );
  }
  if (!claims.iss)
    return fail(
      'web-identity-token',
      `${described}: the token has no iss; STS refuses it.`,
      'Use an OIDC token from an issuer registered in IAM.',
      profile,
    );
  return ok('web-identity-token', described, profile);
}
