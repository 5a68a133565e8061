import type { SsoPortalApi } from '../../aws/ssoClient.js';
import { ssoOidcEndpointFor, ssoPortalEndpointFor } from '../../aws/ssoEndpoints.js';
import type { SsoOidcApi } from '../../aws/ssoOidcClient.js';
import { type BrowserChoice, browserOpener } from '../../core/browserLaunch.js';
import { type Clock, systemClock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { openPersonChannel } from '../../core/personChannel.js';
import { canOpenBrowser } from '../oidc/browserOpener.js';
import type { SsoTokenDeps } from './accessToken.js';
import type { SsoSession } from './settings.js';
import type { SsoSignInDeps } from './signIn.js';

export interface SsoDeps extends SsoSignInDeps, SsoTokenDeps {
  portal(): Promise<SsoPortalApi>;
}

const once = <T>(make: () => Promise<T>) => {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
};

/**
 * The real-world dependencies of the sso flow: the SSO-OIDC and portal clients of the session's
 * sso_region (the SDKs load only when a call is made; a profile's ca_bundle is trusted by both,
 * AWS_CA_BUNDLE winning over it), the system browser and the terminal.
 */
export function nodeSsoDeps(
  session: SsoSession,
  options: {
    env: NodeJS.ProcessEnv;
    logger: Logger;
    clock?: Clock;
    /** --browser / --browser-profile; nothing chosen: $BROWSER, else the system default */
    browser?: BrowserChoice | undefined;
    /** the profile's ca_bundle (AWS_CA_BUNDLE wins over it, as in botocore) */
    caBundle?: string | undefined;
  },
): SsoDeps {
  const { env, logger } = options;
  // a bad choice fails here, before the portal is asked for anything
  const opener = browserOpener(options.browser ?? {}, { env });
  const { region } = session;
  const { caBundle } = options;
  return {
    env,
    logger,
    clock: options.clock ?? systemClock,
    oidc: once<SsoOidcApi>(async () =>
      (await import('../../aws/ssoOidcClient.js')).createSsoOidc({
        region,
        endpoint: ssoOidcEndpointFor(region, env),
        logger,
        caBundle,
      }),
    ),
    portal: once<SsoPortalApi>(async () =>
      (await import('../../aws/ssoClient.js')).createSsoPortal({
        region,
        endpoint: ssoPortalEndpointFor(region, env),
        logger,
        caBundle,
      }),
    ),
    canOpenBrowser: canOpenBrowser(env),
    openUrl: opener.open,
    openPerson: () => openPersonChannel(),
  };
}
