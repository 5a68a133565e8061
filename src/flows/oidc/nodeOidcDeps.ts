import { parseRoleArn } from '../../aws/arn.js';
import { createSts } from '../../aws/stsClient.js';
import { stsEndpointFor } from '../../aws/stsEndpoint.js';
import { resolveRegion } from '../../config/resolveRegion.js';
import type { Logger } from '../../core/logger.js';
import type { SecretStore } from '../../store/secretStore.js';
import { canOpenBrowser, openInSystemBrowser } from './browserOpener.js';
import type { OidcLoginDeps } from './login.js';
import { openPersonChannel } from './personChannel.js';

/** The real-world dependencies of the OIDC flow: STS for the role's region, the system browser, the terminal. */
export function nodeOidcDeps(options: {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  secrets: SecretStore;
  roleArn: string;
  regionFlag?: string | undefined;
  profileRegion?: string | undefined;
  interactive: boolean;
  silentFirst: boolean;
}): OidcLoginDeps & { region: string } {
  const { env, logger } = options;
  const role = parseRoleArn(options.roleArn);
  const region = resolveRegion({ flag: options.regionFlag, env, profile: options.profileRegion, partition: role.partition });
  return {
    region,
    logger,
    secrets: options.secrets,
    sts: () => createSts({ region, endpoint: stsEndpointFor(region, env), logger }),
    interactive: options.interactive,
    silentFirst: options.silentFirst,
    canOpenBrowser: canOpenBrowser(env),
    openUrl: openInSystemBrowser,
    openPerson: () => openPersonChannel(),
  };
}
