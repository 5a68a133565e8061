/**
 * A flow's own command with --profile (fedlogin saml|oidc|cognito|web-identity --profile X)
 * delivers what X means: when X has hops (fedlogin_chain_role_arn, or role_arn with source_profile),
 * the flow signs in with the settings of the chain's flow profile and its credentials go through
 * every hop to X. The hops are cachedLogin's, fed with the fresh sign-in (signedIn): each step is
 * renewed and cached under the same keys credential-process uses, so the profiles of the chain
 * are fresh afterwards. Flags that change what the flow signs in as (the role, the IdP, the
 * duration, a session policy...) make the credentials no longer the profile's: the hops still
 * follow, but nothing is cached.
 */
import type { SessionPolicy } from '../aws/sessionPolicy.js';
import { type FlowName, ProfileValues } from '../config/profileValues.js';
import type { Credentials } from '../core/credentials.js';
import { usageError } from '../core/errors.js';
import { plural } from '../core/plural.js';
import { describeChain, flowCallPolicy, type ProfileChain, profileChain } from '../flows/profileChain.js';
import { type SessionPolicyFlags, sessionPolicyFor } from '../flows/sessionPolicy.js';
import type { CliContext } from './context.js';
import { commandCachedLogin, namedProfileValues } from './profileCredentials.js';
import { hasTerminal } from './terminal.js';

export interface DirectProfile {
  /** what fills the settings flags leave out: the chain's flow profile, or the named profile */
  values: ProfileValues | undefined;
  /** only when the named profile has hops */
  chain?: ProfileChain | undefined;
}

/**
 * The profile --profile names, for `flow`'s own command. A profile without hops is used as before;
 * a chained one is followed to its flow profile (cycles, depth and missing pieces refused before
 * any sign-in), which must use `flow`.
 */
export function directProfile(context: CliContext, flow: FlowName): DirectProfile {
  const values = namedProfileValues(context);
  if (!values || (values.string('source_profile') === undefined && !values.string('fedlogin_chain_role_arn')))
    return { values };
  const chain = profileChain(values.profile, context.env);
  if (chain.flow !== flow) {
    throw usageError(
      'PROFILE_FLOW_MISMATCH',
      `Profile ${values.name} signs in with the ${chain.flow} flow (${describeChain(chain)}), not ${flow}.`,
      { hint: `Run: fedlogin ${chain.flow} --profile ${values.name}, or fedlogin login --profile ${values.name}` },
    );
  }
  return { values: new ProfileValues(chain.root), chain };
}

/**
 * The session policies of a direct command: without a chain, the flags' or the profile's on the
 * flow's call; with one, the flow's call gets what its profile's provider would (none when its
 * profile has hops), and --policy-arn/--policy-file go on the last hop instead of the profile's.
 * Read and checked before any sign-in.
 */
export async function directPolicies(
  direct: DirectProfile,
  flags: SessionPolicyFlags,
  env: NodeJS.ProcessEnv,
): Promise<{ flowCall: SessionPolicy | undefined; lastHop: SessionPolicy | undefined }> {
  if (!direct.chain) return { flowCall: await sessionPolicyFor(flags, direct.values, env), lastHop: undefined };
  const given = flags.policyArn !== undefined || flags.policyFile !== undefined;
  return {
    flowCall: await flowCallPolicy(direct.values!, env),
    lastHop: given ? await sessionPolicyFor(flags, undefined, env) : undefined,
  };
}

/** The flags among `names` (option key -> flag) that were given: they change what the flow signs in as. */
export function givenFlags(options: object, names: Readonly<Record<string, string>>): string[] {
  const given = options as Record<string, unknown>;
  return Object.entries(names)
    .filter(([key]) => given[key] !== undefined && given[key] !== false)
    .map(([, flag]) => flag);
}

/**
 * The flow's fresh credentials through the named profile's hops (as they are when it has none),
 * cached step by step unless `overrides` (flags) changed the sign-in; says what it did.
 */
export async function throughChain(
  direct: DirectProfile,
  credentials: Credentials,
  input: { overrides: readonly string[]; lastHop?: SessionPolicy | undefined },
  context: CliContext,
): Promise<Credentials> {
  const { chain } = direct;
  if (!chain) return credentials;
  const cache = input.overrides.length === 0;
  const profile = chain.profiles[0]!;
  const result = await commandCachedLogin(profile, context, {
    interactive: hasTerminal(),
    signedIn: credentials,
    cache,
    sessionPolicy: input.lastHop,
  });
  const cached = cache
    ? `cached for ${plural(chain.profiles.length, 'profile')} ${chain.profiles.map((p) => p.name).join(', ')}`
    : `not cached: ${input.overrides.join(', ')} change${input.overrides.length === 1 ? 's' : ''} what profile ${chain.root.name} signs in as`;
  context.logger.notice(
    `Profile ${profile.name}: ${describeChain(chain)}; ${cached}. The credentials expire at ${result.credentials.expiration.toISOString()}.`,
  );
  return result.credentials;
}
