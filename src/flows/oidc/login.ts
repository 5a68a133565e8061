import type { StsApi } from '../../aws/stsClient.js';
import type { Credentials } from '../../core/credentials.js';
import { refusedError, usageError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { PersonChannel } from '../../core/personChannel.js';
import type { SecretStore } from '../../store/secretStore.js';
import { signInWithBrowser } from './authorizationCode.js';
import { signInWithDevice } from './deviceFlow.js';
import { discover } from './discover.js';
import { exchangeForCredentials } from './exchange.js';
import { waitSignal } from './interrupt.js';
import { keptTokensValue, parseKeptTokens, usableKeptTokens } from './keptTokens.js';
import { refreshGrant } from './refreshGrant.js';
import { renewalToken } from './renewalToken.js';
import { requestedScope } from './scopes.js';
import { clientSecretKey, keptTokensKey, refreshTokenKey } from './secretKeys.js';
import type { OidcSettings, OidcSignInSettings, OidcTokenType } from './settings.js';
import type { OidcTokens } from './tokens.js';

export interface OidcSignInDeps {
  logger: Logger;
  /** refresh tokens (and optionally a confidential client's secret) live here */
  secrets: SecretStore;
  /** a person can be asked (browser, device code) */
  interactive: boolean;
  /** try the stored refresh token before asking anyone (login, credential-process) */
  silentFirst: boolean;
  /** whether a system browser can be opened here (a display exists) */
  canOpenBrowser: boolean;
  openUrl(url: string): Promise<boolean>;
  openPerson(): PersonChannel;
  /** the profile's ca_bundle, for the IdP calls (AWS_CA_BUNDLE wins over it) */
  caBundle?: string | undefined;
  /**
   * Runs a silent renewal of the sign-in whose refresh token is kept under `key` alone, across
   * processes (a lock), so that concurrent renewals never present one rotated refresh token twice:
   * IdPs that detect a reused refresh token revoke the whole grant (oidc-provider does).
   */
  singleFlight<T>(key: string, renewal: () => Promise<T>): Promise<T>;
}

export interface OidcLoginDeps extends OidcSignInDeps {
  /** made only when needed, so a failing renewal never loads the AWS SDK */
  sts(): Promise<StsApi>;
}

/**
 * What the tokens of a sign-in or renewal become: AWS credentials. `use` is the token to exchange:
 * the configured one, or the access token standing in for an ID token a renewal did not bring.
 */
export type OidcExchange = (tokens: OidcTokens, use: OidcTokenType) => Promise<Credentials>;

export interface OidcSignInOptions {
  /**
   * who cannot do without an ID token ("the Cognito identity pool"); unset: the exchange accepts a
   * JWT access token (right iss and aud) when a renewal brings no ID token
   */
  idTokenNeededBy?: string;
}

/** What a renewal without an ID token means, in words: the start of both the notice and the error. */
const noIdToken = (issuer: URL, why: string) =>
  `The identity provider at ${issuer.href.replace(/\/+$/, '')} renewed the sign-in but sent no ID token (allowed by OpenID Connect Core 12.2), and ${why}`;

function renewalWithoutIdToken(settings: OidcSignInSettings, why: string) {
  return usageError(
    'OIDC_RENEWAL_NO_ID_TOKEN',
    `${settings.label} needs you to sign in: ${noIdToken(settings.issuer.url, why)}; run ${settings.signInCommand}`,
    {
      hint: 'A sign-in in the browser gets an ID token. To renew silently, ask your IdP admin to return ID tokens on refresh, or to issue JWT access tokens for this client ID.',
    },
  );
}

function signInNeeded(settings: OidcSignInSettings) {
  return usageError('OIDC_SIGN_IN_REQUIRED', `${settings.label} needs you to sign in: run ${settings.signInCommand}`, {
    hint: 'There is no terminal here to sign in on, and no saved sign-in that can be renewed silently.',
  });
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
const minutes = (ms: number) =>
  ms % 60_000 === 0 ? plural(ms / 60_000, 'minute') : plural(Math.round(ms / 1000), 'second');

/** What a silent renewal came to, decided alone (deps.singleFlight); the exchange runs after it. */
type SilentRenewal =
  | { kind: 'tokens'; tokens: OidcTokens; use: OidcTokenType; kept: boolean }
  | { kind: 'none' }
  | { kind: 'refused' }
  | { kind: 'unusable'; why: string };

/**
 * The silent part of a renewal, run alone per sign-in: the tokens another profile's renewal kept,
 * while they are valid; else the stored refresh token (read here, inside the lock, so it is the
 * latest rotation) in a refresh grant whose rotated refresh token is saved first and whose tokens
 * are kept for the other profiles. invalid_grant drops the refresh token and the kept tokens.
 */
async function silentRenewal(
  settings: OidcSignInSettings,
  deps: OidcSignInDeps,
  options: OidcSignInOptions,
  clientSecret: () => Promise<string | undefined>,
): Promise<SilentRenewal> {
  const { logger, secrets } = deps;
  const issuer = settings.issuer.url;
  const rtKey = refreshTokenKey(issuer, settings.clientId, settings.scope);
  const keptKey = keptTokensKey(issuer, settings.clientId, settings.scope);
  const context = (now: number) => ({
    issuer,
    clientId: settings.clientId,
    tokenType: settings.tokenType,
    idTokenNeededBy: options.idTokenNeededBy,
    now,
  });

  const keptValue = await secrets.get(keptKey);
  logger.addSecret(keptValue);
  const kept = parseKeptTokens(keptValue);
  if (kept) {
    logger.addSecret(kept.idToken);
    logger.addSecret(kept.accessToken);
    const usable = usableKeptTokens(kept, context(Math.floor(Date.now() / 1000)));
    if (usable) {
      logger.debug(
        `using the ${usable.use === 'id' ? 'ID' : 'access'} token kept from this sign-in's last renewal (valid until ${new Date(usable.expiresAt * 1000).toISOString()}); no refresh grant`,
      );
      return { kind: 'tokens', tokens: usable.tokens, use: usable.use, kept: true };
    }
  }

  const stored = await secrets.get(rtKey);
  logger.addSecret(stored);
  if (!stored) return { kind: 'none' };
  const renewed = await refreshGrant({
    issuer: settings.issuer,
    clientId: settings.clientId,
    clientSecret: await clientSecret(),
    refreshToken: stored,
    caBundle: deps.caBundle,
    secrets,
    logger,
  });
  if (!renewed) {
    await secrets.delete(rtKey);
    await secrets.delete(keptKey);
    return { kind: 'refused' };
  }
  const now = Math.floor(Date.now() / 1000);
  // a rotated refresh token replaces the old one even when this answer cannot be used
  if (renewed.tokens.refreshToken) await secrets.set(rtKey, renewed.tokens.refreshToken);
  await secrets.set(keptKey, keptTokensValue(renewed.tokens, renewed.expiresIn, now));
  const usable = renewalToken(renewed.tokens, context(now));
  return usable.use
    ? { kind: 'tokens', tokens: renewed.tokens, use: usable.use, kept: false }
    : { kind: 'unusable', why: usable.why };
}

/**
 * OIDC to AWS credentials: renew with the stored refresh token when allowed and possible, else
 * sign in (authorization code + PKCE in the browser, or the device flow), save the refresh token,
 * and exchange the ID (or access) token with AssumeRoleWithWebIdentity.
 */
export async function loginWithOidc(settings: OidcSettings, deps: OidcLoginDeps): Promise<Credentials> {
  return signInWithOidc(settings, deps, async (tokens, use) =>
    exchangeForCredentials(tokens, { ...settings, tokenType: use }, { sts: await deps.sts(), logger: deps.logger }),
  );
}

/**
 * The OIDC sign-in ending in any exchange: the stored refresh token first when allowed (rotated
 * ones are saved), else the browser or the device flow. A renewal without an ID token goes on
 * with a JWT access token the role would trust (when the exchange allows it), else says why a
 * person is needed. The exchange runs before the browser tab is answered, so the tab shows the
 * real outcome.
 */
export async function signInWithOidc(
  settings: OidcSignInSettings,
  deps: OidcSignInDeps,
  exchange: OidcExchange,
  options: OidcSignInOptions = {},
): Promise<Credentials> {
  const { logger, secrets } = deps;
  const issuer = settings.issuer.url;
  const rtKey = refreshTokenKey(issuer, settings.clientId, settings.scope);
  const keptKey = keptTokensKey(issuer, settings.clientId, settings.scope);
  const clientSecret = async () => {
    const secret = settings.clientSecret ?? (await secrets.get(clientSecretKey(issuer, settings.clientId)));
    logger.addSecret(secret);
    return secret;
  };

  if (deps.silentFirst) {
    const renewalStarted = performance.now();
    const renewal = await deps.singleFlight(rtKey, () => silentRenewal(settings, deps, options, clientSecret));
    if (renewal.kind === 'tokens') {
      if (renewal.use !== settings.tokenType) {
        logger.debug(
          `the IdP renewed the sign-in without an ID token (OpenID Connect Core 12.2); its access token is a JWT from the issuer for client ${settings.clientId}, so it goes to the exchange instead`,
        );
      }
      const credentials = await exchange(renewal.tokens, renewal.use);
      logger.debug(
        renewal.kept
          ? `oidc timing: renewal with the kept token took ${Math.round(performance.now() - renewalStarted)} ms (no IdP call + exchange)`
          : `oidc timing: refresh-token renewal took ${Math.round(performance.now() - renewalStarted)} ms (discovery + refresh grant + exchange)`,
      );
      return credentials;
    }
    if (renewal.kind === 'unusable') {
      if (!deps.interactive) throw renewalWithoutIdToken(settings, renewal.why);
      logger.notice(`${noIdToken(issuer, renewal.why)}: signing in again to get one.`);
    } else if (renewal.kind === 'refused') {
      logger.notice(
        `The saved sign-in at ${issuer.href.replace(/\/+$/, '')} has expired or was revoked; you need to sign in again.`,
      );
      if (!deps.interactive) throw signInNeeded(settings);
    }
  }
  if (!deps.interactive) throw signInNeeded(settings);

  const { config, oidc } = await discover({
    issuer: settings.issuer,
    clientId: settings.clientId,
    clientSecret: await clientSecret(),
    logger,
    caBundle: deps.caBundle,
  });
  const finish = async (tokens: OidcTokens) => {
    // a new sign-in (maybe as someone else) replaces the tokens the last renewal kept
    await secrets.delete(keptKey);
    if (tokens.refreshToken) await secrets.set(rtKey, tokens.refreshToken);
    return exchange(tokens, settings.tokenType);
  };

  const metadata = config.serverMetadata();
  const scope = requestedScope(settings.scope, metadata.scopes_supported);
  const useDevice =
    settings.device ??
    (settings.openBrowser && !deps.canOpenBrowser && Boolean(metadata.device_authorization_endpoint));
  const person = deps.openPerson();
  const wait = waitSignal(settings.timeoutMs, () =>
    refusedError('OIDC_TIMEOUT', `No sign-in was completed within ${minutes(settings.timeoutMs)}.`, {
      hint: 'Run the command again (--timeout allows more time).',
    }),
  );
  const finishNoting = async (tokens: OidcTokens) => {
    if (!tokens.refreshToken && scope.split(' ').includes('offline_access')) {
      logger.notice(
        'The identity provider issued no refresh token, so you will be asked to sign in again when these credentials expire (some IdPs issue one only with --prompt consent).',
      );
    }
    return finish(tokens);
  };
  try {
    if (useDevice) {
      return await finishNoting(
        await signInWithDevice({ config, oidc, issuer, scope, signal: wait.signal }, { logger, person }),
      );
    }
    return await signInWithBrowser(
      {
        config,
        oidc,
        issuer,
        scope,
        prompt: settings.prompt,
        openBrowser: settings.openBrowser && deps.canOpenBrowser,
        signal: wait.signal,
      },
      { logger, person, openUrl: deps.openUrl },
      finishNoting,
    );
  } finally {
    wait.dispose();
    person.close();
  }
}
