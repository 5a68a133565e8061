import { randomUUID } from 'node:crypto';
import { decodeJwt, type JWTPayload } from 'jose';
import { registerSecret } from '../harness/leakScan.js';
import { startTokenIssuer, type TokenIssuer } from '../idp/tokenIssuer.js';
import { AwsFault, type AwsRequest } from './awsProtocolServer.js';
import { createOidcTokenVerifier, TokenVerificationError } from './oidcTokenVerifier.js';
import type { StsEndpoint } from './stsEndpoint.js';

/**
 * Cognito Identity's JSON 1.1 actions (GetId, GetCredentialsForIdentity, GetOpenIdToken) on the
 * local STS endpoint, so one URL serves AWS_ENDPOINT_URL_COGNITO_IDENTITY and AWS_ENDPOINT_URL_STS.
 * Validates as Cognito does: each Logins token's signature via its issuer's JWKS, its iss against
 * the login key (the issuer without scheme), its aud against the provider's client IDs; guest
 * access only where the pool allows it; roles per pool. GetOpenIdToken returns a real JWT signed
 * by a loopback issuer the double serves itself (discovery + JWKS), aud = pool ID, sub = identity
 * ID, amr as Cognito writes it; a role trusting `openIdIssuer.url` with audience = pool ID accepts
 * it through the endpoint's own AssumeRoleWithWebIdentity. Requests are counted per action by the
 * endpoint (`sts.count('GetId')`).
 */

export interface CognitoPoolProvider {
  /** the app client IDs the pool accepts as aud; any when left out */
  clientIds?: string[];
}

export interface CognitoPool {
  allowUnauthenticated?: boolean;
  /** by login key (issuer host + path, no scheme), e.g. '127.0.0.1:PORT' */
  providers?: Record<string, CognitoPoolProvider>;
  /** the pool's default roles; a missing one is InvalidIdentityPoolConfigurationException */
  roles?: { authenticated?: string; unauthenticated?: string };
  /** role ARNs that CustomRoleArn may pick (the pool's role rules) */
  customRoles?: string[];
}

export interface CognitoIdentityDouble {
  pools: Record<string, CognitoPool>;
  /** the issuer of GetOpenIdToken's tokens; trust it in a role with audiences [poolId] */
  openIdIssuer: TokenIssuer;
  /** identity ID -> what it is */
  identities: Map<string, { poolId: string; logins: string[] }>;
  close(): Promise<void>;
}

const TARGET = 'AWSCognitoIdentityService';
const notAuthorized = (message: string) => new AwsFault('NotAuthorizedException', message);

function stringInput(req: AwsRequest, name: string): string {
  const value = req.input[name];
  if (typeof value !== 'string' || value === '') {
    throw new AwsFault(
      'InvalidParameterException',
      `1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

function loginsInput(req: AwsRequest): Record<string, string> {
  const value = req.input.Logins;
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new AwsFault('InvalidParameterException', 'Logins must be a map.');
  return value as Record<string, string>;
}

export async function addCognitoIdentity(
  sts: StsEndpoint,
  pools: Record<string, CognitoPool>,
): Promise<CognitoIdentityDouble> {
  const openIdIssuer = await startTokenIssuer();
  const verifier = createOidcTokenVerifier();
  const identities = new Map<string, { poolId: string; logins: string[] }>();
  /** `poolId|loginKey|sub` -> identity ID, so one user keeps one identity */
  const byUser = new Map<string, string>();

  const poolOf = (poolId: string): CognitoPool => {
    const pool = Object.hasOwn(pools, poolId) ? pools[poolId] : undefined;
    if (!pool) throw new AwsFault('ResourceNotFoundException', `IdentityPool '${poolId}' not found.`);
    return pool;
  };

  /** Verifies every login; returns `loginKey|sub` per login. */
  const verifyLogins = async (
    req: AwsRequest,
    pool: CognitoPool,
    logins: Record<string, string>,
  ): Promise<string[]> => {
    const users: string[] = [];
    const described: Record<string, unknown>[] = [];
    req.log.notes.logins = described;
    for (const [key, token] of Object.entries(logins)) {
      const provider = pool.providers && Object.hasOwn(pool.providers, key) ? pool.providers[key] : undefined;
      if (!provider) throw notAuthorized('Token is not from a supported provider of this identity pool.');
      let claims: JWTPayload;
      try {
        claims = decodeJwt(token);
        described.push({ key, iss: claims.iss, aud: claims.aud, sub: claims.sub });
        claims = await verifier.verify(token, req.now);
      } catch (error) {
        if (error instanceof TokenVerificationError && error.problem === 'expired')
          throw notAuthorized('Invalid login token. Token expired.');
        if (error instanceof TokenVerificationError && error.problem === 'unreachable') {
          throw new AwsFault(
            'ExternalServiceException',
            'Could not reach the identity provider to validate the token.',
          );
        }
        throw notAuthorized('Invalid login token. Not a valid OpenId Connect identity token.');
      }
      if (
        String(claims.iss)
          .replace(/^https?:\/\//, '')
          .replace(/\/+$/, '') !== key
      ) {
        throw notAuthorized("Invalid login token. Issuer doesn't match providerName");
      }
      const audiences = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
      if (provider.clientIds && !audiences.some((a) => provider.clientIds!.includes(a))) {
        throw notAuthorized('Invalid login token. Incorrect token audience.');
      }
      users.push(`${key}|${String(claims.sub)}`);
    }
    return users;
  };

  /** The identity, checked against the logins sent with it. */
  const identityFor = async (req: AwsRequest) => {
    const identityId = stringInput(req, 'IdentityId');
    const identity = identities.get(identityId);
    if (!identity) throw new AwsFault('ResourceNotFoundException', `Identity '${identityId}' not found.`);
    const pool = poolOf(identity.poolId);
    const users = await verifyLogins(req, pool, loginsInput(req));
    if (identity.logins.length === 0) {
      if (users.length === 0 && !pool.allowUnauthenticated)
        throw notAuthorized('Unauthenticated access is not supported for this identity pool.');
    } else if (!users.some((u) => identity.logins.includes(u))) {
      throw notAuthorized(
        "Logins don't match. Please include at least one valid login for this identity or identity pool.",
      );
    }
    return { identityId, identity, pool, authenticated: users.length > 0 || identity.logins.length > 0 };
  };

  sts.onJson(`${TARGET}.GetId`, async (req) => {
    const poolId = stringInput(req, 'IdentityPoolId');
    const pool = poolOf(poolId);
    const users = await verifyLogins(req, pool, loginsInput(req));
    if (users.length === 0 && !pool.allowUnauthenticated)
      throw notAuthorized('Unauthenticated access is not supported for this identity pool.');
    const known = users.map((u) => byUser.get(`${poolId}|${u}`)).find((id) => id !== undefined);
    const identityId = known ?? `${poolId.split(':')[0]}:${randomUUID()}`;
    if (!known) identities.set(identityId, { poolId, logins: users });
    for (const u of users) byUser.set(`${poolId}|${u}`, identityId);
    req.log.notes.identityId = identityId;
    return { IdentityId: identityId };
  });

  sts.onJson(`${TARGET}.GetCredentialsForIdentity`, async (req) => {
    const { identityId, identity, pool, authenticated } = await identityFor(req);
    const custom = req.input.CustomRoleArn;
    let roleArn = authenticated ? pool.roles?.authenticated : pool.roles?.unauthenticated;
    if (typeof custom === 'string') {
      if (!authenticated || !(pool.customRoles ?? []).includes(custom)) {
        throw notAuthorized(
          `Not authorized to assume ${custom}: the role mapping rules of this identity pool do not allow it.`,
        );
      }
      roleArn = custom;
    }
    if (!roleArn) {
      throw new AwsFault(
        'InvalidIdentityPoolConfigurationException',
        'Invalid identity pool configuration. Check assigned IAM roles for this pool.',
      );
    }
    const creds = sts.issueCredentials({
      action: req.action,
      roleArn,
      roleSessionName: 'CognitoIdentityCredentials',
      durationSeconds: 3600,
      issuer: 'cognito-identity.amazonaws.com',
      subject: identityId,
      audience: identity.poolId,
    });
    return {
      IdentityId: identityId,
      Credentials: {
        AccessKeyId: creds.accessKeyId,
        SecretKey: creds.secretAccessKey,
        SessionToken: creds.sessionToken,
        Expiration: creds.expiration.getTime() / 1000,
      },
    };
  });

  sts.onJson(`${TARGET}.GetOpenIdToken`, async (req) => {
    const { identityId, identity, authenticated } = await identityFor(req);
    const providers = Object.keys(loginsInput(req));
    const amr = authenticated ? ['authenticated', ...providers] : ['unauthenticated'];
    const token = await openIdIssuer.sign({ aud: identity.poolId, sub: identityId, amr }, { expiresInSeconds: 600 });
    registerSecret(token, 'token', 'a Cognito GetOpenIdToken token');
    return { IdentityId: identityId, Token: token };
  });

  return { pools, openIdIssuer, identities, close: () => openIdIssuer.close() };
}
