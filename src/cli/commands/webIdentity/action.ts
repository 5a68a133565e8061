import { systemClock } from '../../../core/clock.js';
import { usageError } from '../../../core/errors.js';
import { loginWithWebIdentity } from '../../../flows/webIdentity/login.js';
import { nodeWebIdentityDeps } from '../../../flows/webIdentity/nodeWebIdentityDeps.js';
import { resolveWebIdentitySettings } from '../../../flows/webIdentity/resolveSettings.js';
import type { CliContext } from '../../context.js';
import { deliver } from '../../deliver.js';
import { directPolicies, directProfile, givenFlags, throughChain } from '../../directChain.js';
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

/** Flags that change what the sign-in gets: with a chained --profile, its hops then are not cached. */
const SIGN_IN_FLAGS = {
  roleArn: '--role-arn',
  tokenFile: '--token-file',
  tokenEnv: '--token-env',
  tokenStdin: '--token-stdin',
  ci: '--ci',
  audience: '--audience',
  roleSessionName: '--role-session-name',
  duration: '--duration',
  policyArn: '--policy-arn',
  policyFile: '--policy-file',
};

/**
 * `fedlogin web-identity`: flags, with the named profile's fedlogin_* keys filling what they leave
 * out. A chained profile's hops follow the sign-in (directChain.ts), unless --chain-role-arn
 * gives the hops.
 */
export async function runWebIdentity(options: WebIdentityOptions, context: CliContext): Promise<void> {
  const { env, logger } = context;
  const direct =
    options.chainRoleArn === undefined
      ? directProfile(context, 'web-identity')
      : { values: namedProfileValues(context) };
  if (options.chainRoleArn !== undefined && direct.values?.string('source_profile') !== undefined)
    throw usageError(
      'OPTION_CONFLICT',
      `--chain-role-arn gives the hops, and profile ${direct.values.name} chains through source_profile: leave out one of them.`,
    );
  const profile = direct.values;
  const policies = await directPolicies(direct, options, env);
  const settings = {
    ...resolveWebIdentitySettings(options, profile, env),
    sessionPolicy: policies.flowCall,
    // a chained profile's hops, its own fedlogin_chain_role_arn ones too, are throughChain's
    ...(direct.chain ? { chainRoleArns: [] } : {}),
  };
  const { deps, region } = await nodeWebIdentityDeps(settings, {
    env,
    logger,
    clock: systemClock,
    regionFlag: context.region,
    profileRegion: profile?.string('region'),
  });
  const credentials = await throughChain(
    direct,
    await loginWithWebIdentity(settings, deps),
    { overrides: givenFlags(options, SIGN_IN_FLAGS), lastHop: policies.lastHop },
    context,
  );
  await deliver(credentials, { output: options.output, format: options.format, region }, context);
}
