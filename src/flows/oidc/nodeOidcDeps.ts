import { parseRoleArn } from '../../aws/arn.js';
import { createSts } from '../../aws/stsClient.js';
import { stsEndpointFor } from '../../aws/stsEndpoint.js';
import { resolveRegion } from '../../config/resolveRegion.js';
import { type BrowserChoice, browserOpener } from '../../core/browserLaunch.js';
import type { Logger } from '../../core/logger.js';
import { openPersonChannel } from '../../core/personChannel.js';
import { lockPathFor, withLock } from '../../store/lock.js';
import type { SecretStore } from '../../store/secretStore.js';
import { canOpenBrowser } from './browserOpener.js';
import type { OidcLoginDeps, OidcSignInDeps } from './login.js';

const RENEWAL_LOCK_TIMEOUT_MS = 60_000;

/** The real-world dependencies of a sign-in: the secret store, the system browser, the terminal. */
export function nodeOidcSignInDeps(options: {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  secrets: SecretStore;
  interactive: boolean;
  silentFirst: boolean;
  /** the profile's ca_bundle key */
  profileCaBundle?: string | undefined;
  /** --browser / --browser-profile; nothing chosen: $BROWSER, else the system default */
  browser?: BrowserChoice | undefined;
}): OidcSignInDeps {
  // a bad choice fails here, before the IdP is asked for anything
  const opener = browserOpener(options.browser ?? {}, { env: options.env });
  return {
    caBundle: options.profileCaBundle,
    logger: options.logger,
    secrets: options.secrets,
    interactive: options.interactive,
    silentFirst: options.silentFirst,
    canOpenBrowser: canOpenBrowser(options.env),
    openUrl: opener.open,
    openPerson: () => openPersonChannel(),
    // a renewal is a discovery and a refresh grant, each time-limited: a minute is plenty
    singleFlight: (key, renewal) =>
      withLock(lockPathFor(options.env, `oidc-renewal-${key}`), renewal, { timeoutMs: RENEWAL_LOCK_TIMEOUT_MS }),
  };
}

/** The real-world dependencies of the OIDC flow: a sign-in's, plus STS for the role's region. */
export function nodeOidcDeps(
  options: Parameters<typeof nodeOidcSignInDeps>[0] & {
    roleArn: string;
    regionFlag?: string | undefined;
    profileRegion?: string | undefined;
  },
): OidcLoginDeps & { region: string } {
  const { env, logger } = options;
  const role = parseRoleArn(options.roleArn);
  const region = resolveRegion({
    flag: options.regionFlag,
    env,
    profile: options.profileRegion,
    partition: role.partition,
  });
  return {
    ...nodeOidcSignInDeps(options),
    region,
    sts: () => createSts({ region, endpoint: stsEndpointFor(region, env), logger, caBundle: options.profileCaBundle }),
  };
}
