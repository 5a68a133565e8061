import { systemClock } from '../../../core/clock.js';
import { sessionPolicyFor } from '../../../flows/sessionPolicy.js';
import { loginWithWebIdentity } from '../../../flows/webIdentity/login.js';
import { nodeWebIdentityDeps } from '../../../flows/webIdentity/nodeWebIdentityDeps.js';
import { resolveWebIdentitySettings } from '../../../flows/webIdentity/resolveSettings.js';
import type { CliContext } from '../../context.js';
import { deliver } from '../../deliver.js';
import { namedProfileValues } from '../../profileCredentials.js';

export interface WebIdentityOptions {
  roleArn?: string;
  tokenFile?: string;
  tokenEnv?: string;
  tokenStdin?: boolean;
  ci?: string;
  audience?: string;
  roleSessionName?: string;
  duration?: string;
  chainRoleArn?: string[];
  policyArn?: string[];
  policyFile?: string;
  output?: string;
  format?: string;
}

/** `fedlogin web-identity`: flags, with the named profile's fedlogin_* keys filling what they leave out. */
export async function runWebIdentity(options: WebIdentityOptions, context: CliContext): Promise<void> {
  const { env, logger } = context;
  const profile = namedProfileValues(context);
  const settings = {
    ...resolveWebIdentitySettings(options, profile, env),
    sessionPolicy: await sessionPolicyFor(options, profile, env),
  };
  const { deps, region } = await nodeWebIdentityDeps(settings, {
    env,
    logger,
    clock: systemClock,
    regionFlag: context.region,
    profileRegion: profile?.string('region'),
  });
  const credentials = await loginWithWebIdentity(settings, deps);
  await deliver(credentials, { output: options.output, format: options.format, region }, context);
}
