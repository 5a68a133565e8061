import type { Configuration } from 'openid-client';
import { openSecretUrl } from '../../core/browser.js';
import { refusedError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { OneShotRedirect } from '../../core/oneShotRedirect.js';
import type { PersonChannel } from '../../core/personChannel.js';
import { startSpinner } from '../../core/spinner.js';
import { startCallbackListener } from './callbackListener.js';
import { translateOidcError } from './oidcErrors.js';
import { type OidcTokens, tokensFrom } from './tokens.js';

export interface AuthorizationCodeOptions {
  config: Configuration;
  oidc: typeof import('openid-client');
  issuer: URL;
  scope: string;
  prompt?: string | undefined;
  /** false: only show the URL (--no-browser, or no display) */
  openBrowser: boolean;
  signal: AbortSignal;
}

export interface AuthorizationCodeDeps {
  logger: Logger;
  person: PersonChannel;
  /**
   * Starts the browser on a URL; resolves false when none could be started. It is only ever given
   * a one-shot loopback URL, never the authorization URL itself (whose state would be on argv).
   */
  openUrl(url: string): Promise<boolean>;
}

/**
 * Authorization code with PKCE (S256), state and nonce, redirected to a loopback listener on a
 * free port (RFC 8252). The browser tab is answered once `finish` (the STS exchange) is done, so it
 * shows the real outcome.
 */
export async function signInWithBrowser<T>(
  options: AuthorizationCodeOptions,
  deps: AuthorizationCodeDeps,
  finish: (tokens: OidcTokens) => Promise<T>,
): Promise<T> {
  const { oidc, config } = options;
  const { logger } = deps;
  const listener = await startCallbackListener();
  let redirect: OneShotRedirect | undefined;
  try {
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: listener.redirectUri,
      scope: options.scope,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...(options.prompt ? { prompt: options.prompt } : {}),
    });
    redirect = options.openBrowser ? await openSecretUrl(url.href, { open: deps.openUrl }) : undefined;
    const opened = redirect !== undefined;
    redirect?.outcome.then((how) => {
      if (how === 'expired')
        deps.person.write(
          '\nThe browser did not follow the sign-in link within 2 minutes, so that link is closed now; open the URL above instead.\n',
        );
    });
    deps.person.write(
      opened
        ? `Opened your browser to sign in. If it did not open, visit:\n  ${url.href}\n`
        : `To sign in, open this URL in a browser:\n  ${url.href}\n`,
    );
    logger.debug(`waiting for the sign-in on ${listener.redirectUri}`);

    const spinner = startSpinner(deps.person, 'Waiting for you to sign in in the browser...');
    const arrival = await listener.arrival(options.signal).finally(() => spinner.stop());
    const received = performance.now();
    logger.debug('oidc timing: callback received');
    try {
      const params = arrival.url.searchParams;
      if (params.get('state') !== state) {
        throw refusedError(
          'OIDC_STATE_MISMATCH',
          'The sign-in response does not belong to this login (state mismatch); refusing it.',
          { hint: 'Start the login again from this terminal; do not reuse an old browser tab.' },
        );
      }
      let response;
      try {
        response = await oidc.authorizationCodeGrant(
          config,
          arrival.url,
          { pkceCodeVerifier: codeVerifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true },
          { redirect_uri: listener.redirectUri },
        );
      } catch (error) {
        throw translateOidcError(error, options.issuer, 'authorization');
      }
      const tokens = tokensFrom(response, logger);
      logger.debug(
        `oidc timing: code exchanged for tokens ${Math.round(performance.now() - received)} ms after the callback`,
      );
      const result = await finish(tokens);
      logger.debug(`oidc timing: credentials ready ${Math.round(performance.now() - received)} ms after the callback`);
      arrival.respond({ ok: true });
      return result;
    } catch (error) {
      const message = error instanceof Error && 'kind' in error ? error.message : 'The sign-in could not be completed.';
      arrival.respond({ ok: false, message: logger.redact(message) });
      throw error;
    }
  } finally {
    await redirect?.close();
    await listener.close();
  }
}
