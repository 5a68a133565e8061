import type { CognitoApi, CognitoLogins } from '../../aws/cognitoClient.js';
import type { CognitoCallContext } from '../../aws/cognitoErrors.js';
import { withDurationFallback } from '../../aws/durationFallback.js';
import type { StsApi } from '../../aws/stsClient.js';
import type { Clock } from '../../core/clock.js';
import type { Credentials } from '../../core/credentials.js';
import { isFedloginError } from '../../core/errors.js';
import { decodeJwtClaims } from '../../core/jwtClaims.js';
import type { Logger } from '../../core/logger.js';
import { sanitizeSessionName } from '../../core/sessionName.js';
import type { SecretStore } from '../../store/secretStore.js';
import { type OidcSignInDeps, signInWithOidc } from '../oidc/login.js';
import { identityIdKey, readIdentityId } from './identityIdCache.js';
import { withOidcLogin } from './oidcLogin.js';
import { type ReadLogins, readLogins } from './readLogins.js';
import type { CognitoSettings } from './settings.js';

export interface CognitoLoginDeps {
  cognito: CognitoApi;
  /** made only for the basic flow */
  sts(): Promise<StsApi>;
  /** where IdentityIds are remembered */
  identityIds: SecretStore;
  readFile(path: string): Promise<string>;
  logger: Logger;
  clock: Clock;
  /** the sign-in of an OIDC login (settings.oidc); its refresh token lives in its secret store */
  oidc?: OidcSignInDeps | undefined;
}

/** A remembered IdentityId that Cognito no longer accepts for these logins: ask GetId again. */
const STALE_IDENTITY = new Set(['COGNITO_POOL_NOT_FOUND', 'COGNITO_NOT_AUTHORIZED', 'COGNITO_GUEST_DISABLED']);

/**
 * Cognito identity pool to AWS credentials. Enhanced flow (default): GetId, then
 * GetCredentialsForIdentity. Basic flow: GetId, GetOpenIdToken, then AssumeRoleWithWebIdentity
 * into the configured role. Login tokens are re-read from their files on every call; an OIDC login
 * signs in through the OIDC flow (its refresh token first, when allowed) and adds its ID token
 * under the issuer's key. The IdentityId is remembered per pool and user, so GetId runs once.
 */
export async function loginWithCognito(settings: CognitoSettings, deps: CognitoLoginDeps): Promise<Credentials> {
  // token files first: a bad path fails before anyone is asked to sign in
  const read = await readLogins(settings.logins, {
    readFile: deps.readFile,
    logger: deps.logger,
    nowMs: deps.clock.now(),
  });
  const oidc = settings.oidc;
  if (!oidc) return exchangeWithCognito(settings, read, deps);
  if (!deps.oidc) throw new Error('an OIDC login needs the sign-in dependencies');
  return signInWithOidc(
    oidc.signIn,
    deps.oidc,
    (tokens) => exchangeWithCognito(settings, withOidcLogin(read, oidc.key, tokens, deps.logger), deps),
    { idTokenNeededBy: 'the Cognito identity pool' },
  );
}

async function exchangeWithCognito(
  settings: CognitoSettings,
  read: ReadLogins,
  deps: CognitoLoginDeps,
): Promise<Credentials> {
  const { logger, cognito } = deps;
  const logins: CognitoLogins = read.logins;
  const context = (action: CognitoCallContext['action']): CognitoCallContext => ({
    action,
    identityPoolId: settings.pool.id,
    loginKeys: Object.keys(logins),
    loginDescriptions: read.descriptions,
  });

  const cacheKey = identityIdKey(cognito.endpoint, settings.pool.id, read.who);
  const remembered = await readIdentityId(deps.identityIds, cacheKey);
  const fresh = async () => {
    const id = await cognito.getId({ identityPoolId: settings.pool.id, logins }, context('GetId'));
    await deps.identityIds.set(cacheKey, id);
    logger.debug(`identity ${id} in ${settings.pool.id} (remembered)`);
    return id;
  };

  const withIdentity = async <T>(use: (identityId: string) => Promise<T>): Promise<T> => {
    if (!remembered) return use(await fresh());
    logger.debug(`identity ${remembered} in ${settings.pool.id} (from the store)`);
    try {
      return await use(remembered);
    } catch (error) {
      if (!isFedloginError(error) || !STALE_IDENTITY.has(error.code)) throw error;
      logger.debug(`the remembered identity was refused (${error.code}); asking GetId again`);
      await deps.identityIds.delete(cacheKey);
      return use(await fresh());
    }
  };

  if (!settings.basic) {
    const credentials = await withIdentity((identityId) =>
      cognito.getCredentialsForIdentity(
        { identityId, logins, customRoleArn: settings.customRoleArn },
        context('GetCredentialsForIdentity'),
      ),
    );
    logger.addSecret(credentials.secretAccessKey);
    logger.addSecret(credentials.sessionToken);
    return credentials;
  }

  const basic = settings.basic;
  const { identityId, token } = await withIdentity(async (identityId) => ({
    identityId,
    token: await cognito.getOpenIdToken({ identityId, logins }, context('GetOpenIdToken')),
  }));
  logger.addSecret(token);
  const claims = decodeJwtClaims(token, 'OpenID token from Cognito');
  const sts = await deps.sts();
  const credentials = await withDurationFallback(basic.durationSeconds, basic.roleArn, logger, (durationSeconds) =>
    sts.assumeRoleWithWebIdentity(
      {
        roleArn: basic.roleArn,
        roleSessionName: sanitizeSessionName(basic.roleSessionName ?? identityId, 'fedlogin-cognito'),
        webIdentityToken: token,
        durationSeconds,
      },
      { action: 'AssumeRoleWithWebIdentity', roleArn: basic.roleArn, tokenClaims: claims },
    ),
  );
  logger.addSecret(credentials.secretAccessKey);
  logger.addSecret(credentials.sessionToken);
  return credentials;
}
