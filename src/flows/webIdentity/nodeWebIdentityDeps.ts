import { parseRoleArn } from '../../aws/arn.js';
import { createSts } from '../../aws/stsClient.js';
import { stsEndpointFor } from '../../aws/stsEndpoint.js';
import { resolveRegion } from '../../config/resolveRegion.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { WebIdentityDeps, WebIdentitySettings } from './login.js';
import { nodeTokenSourceDeps } from './nodeTokenSourceDeps.js';

export interface NodeWebIdentityContext {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  clock: Clock;
  /** --region, when given */
  regionFlag?: string | undefined;
  /** the profile's region key */
  profileRegion?: string | undefined;
  /** the profile's ca_bundle key */
  profileCaBundle?: string | undefined;
}

/** The real world for a web-identity login: STS in the role's partition and region, real token sources. */
export async function nodeWebIdentityDeps(
  settings: WebIdentitySettings,
  context: NodeWebIdentityContext,
): Promise<{ deps: WebIdentityDeps; region: string }> {
  const { env, logger } = context;
  const region = resolveRegion({
    flag: context.regionFlag,
    env,
    profile: context.profileRegion,
    partition: parseRoleArn(settings.roleArn).partition,
  });
  const caBundle = context.profileCaBundle;
  const sts = await createSts({ region, endpoint: stsEndpointFor(region, env), logger, caBundle });
  return { deps: { sts, tokenSources: nodeTokenSourceDeps(env, caBundle), logger, clock: context.clock }, region };
}
