import { parseRoleArn } from '../aws/arn.js';
import { STS_SESSION_SECONDS } from '../aws/durationFallback.js';
import { parseExternalId } from '../aws/externalId.js';
import type { SessionPolicy } from '../aws/sessionPolicy.js';
import type { StsApi } from '../aws/stsClient.js';
import { stsEndpointFor } from '../aws/stsEndpoint.js';
import { loadProfile, type ProfileSettings } from '../config/profileSettings.js';
import { type FlowName, ProfileValues } from '../config/profileValues.js';
import { resolveRegion } from '../config/resolveRegion.js';
import { usageError } from '../core/errors.js';
import type { ProviderContext } from './provider.js';
import { type ChainHop, type HopTarget, placeSessionPolicy, resolveChainHops } from './roleChain.js';
import { sessionPolicyFor } from './sessionPolicy.js';

/** Profiles in one chain at most (app -> dev counts 2): deeper chains are refused as AWS tools do. */
export const MAX_CHAIN_PROFILES = 5;

/**
 * How a profile gets its credentials: its own flow (then the fedlogin_chain_role_arn hops, if any),
 * or, the AWS CLI's way, the credentials of its source_profile followed by AssumeRole into its
 * role_arn (with external_id, role_session_name, duration_seconds).
 */
export type LoginPlan =
  | { kind: 'flow'; flow: FlowName; chainHops: HopTarget[] }
  | { kind: 'source'; source: ProfileSettings; hop: Omit<ChainHop, 'sessionPolicy'>; chainHops: HopTarget[] };

const where = (profile: ProfileSettings) => `${profile.file} [${profile.section}]`;

/**
 * Reads the plan of a profile; `path` is the chain of profile names that led here (outermost first),
 * so a cycle (a -> b -> a) and a chain deeper than MAX_CHAIN_PROFILES are refused with the whole
 * chain named. Pure apart from reading ~/.aws/config for the source profile.
 */
export function loginPlan(profile: ProfileSettings, env: NodeJS.ProcessEnv, path: readonly string[]): LoginPlan {
  const values = new ProfileValues(profile);
  const flow = values.flow();
  const sourceName = values.string('source_profile');
  const chainHops = resolveChainHops(undefined, values);
  if (sourceName === undefined) {
    if (!flow) {
      throw usageError(
        'PROFILE_NOT_FEDLOGIN',
        `${where(profile)} has no fedlogin_flow (nor role_arn with source_profile), so fedlogin does not know how to log in for it.`,
        { hint: `Set it up with: fedlogin configure --profile ${profile.name}` },
      );
    }
    return { kind: 'flow', flow, chainHops };
  }
  if (flow) {
    throw usageError(
      'PROFILE_CHAIN_INVALID',
      `${where(profile)} has both fedlogin_flow and source_profile: give the profile one way to get credentials.`,
      { hint: 'Keep fedlogin_flow (with fedlogin_chain_role_arn for hops), or role_arn with source_profile.' },
    );
  }
  const roleArn = values.parsed('role_arn', (v) => parseRoleArn(v, 'role_arn').arn);
  if (!roleArn) {
    throw usageError('PROFILE_CHAIN_INVALID', `${where(profile)} has source_profile but no role_arn to assume.`);
  }
  const chain = [...path, profile.name, sourceName];
  if ([...path, profile.name].includes(sourceName)) {
    throw usageError('PROFILE_CHAIN_CYCLE', `The profiles form a cycle: ${chain.join(' -> ')}.`, {
      hint: `Point source_profile in ${where(profile)} at a profile with fedlogin_flow.`,
    });
  }
  if (chain.length > MAX_CHAIN_PROFILES) {
    throw usageError(
      'PROFILE_CHAIN_TOO_DEEP',
      `The chain ${chain.join(' -> ')} has ${chain.length} profiles; fedlogin follows at most ${MAX_CHAIN_PROFILES}.`,
      { hint: 'Each hop is a separate AWS session capped at one hour: shorten the chain.' },
    );
  }
  const source = loadProfile(env, sourceName);
  if (!source) {
    throw usageError(
      'PROFILE_CHAIN_INVALID',
      `source_profile ${sourceName} in ${where(profile)} is not a profile in ${profile.file}.`,
    );
  }
  const durationSeconds = values.parsed('duration_seconds', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 900 || n > 43_200)
      throw usageError(
        'PROFILE_CHAIN_INVALID',
        `duration_seconds "${v}" is not a whole number of seconds from 900 to 43200.`,
      );
    return n;
  });
  return {
    kind: 'source',
    source,
    hop: {
      roleArn,
      externalId: values.parsed('external_id', (v) => parseExternalId(v, 'external_id')),
      roleSessionName: values.string('role_session_name'),
      durationSeconds,
    },
    chainHops,
  };
}

/**
 * The hops after the plan's first credentials, with the profile's session policy on the last one
 * (or `policy`, a direct command's --policy-arn/--policy-file, in its place).
 */
export async function planHops(
  plan: LoginPlan,
  profile: ProfileSettings,
  env: NodeJS.ProcessEnv,
  policy?: SessionPolicy,
): Promise<ChainHop[]> {
  const values = new ProfileValues(profile);
  const sessionPolicy = policy ?? (await sessionPolicyFor({}, values, env));
  if (plan.kind === 'flow') {
    const durationSeconds = values.seconds('fedlogin_duration', STS_SESSION_SECONDS);
    return placeSessionPolicy(plan.chainHops, { durationSeconds }, sessionPolicy).hops;
  }
  const { roleArn, externalId, ...common } = plan.hop;
  return placeSessionPolicy([{ roleArn, externalId }, ...plan.chainHops], common, sessionPolicy).hops;
}

/** A profile's whole chain: the profiles from it down to the one whose flow signs in, and every hop. */
export interface ProfileChain {
  /** the profile itself, then its source, ... down to `root` (outermost first) */
  profiles: ProfileSettings[];
  /** the profile whose fedlogin_flow signs in */
  root: ProfileSettings;
  flow: FlowName;
  /** every AssumeRole after the flow's own call, in call order, with the profile that asks for it */
  hops: (HopTarget & { profile: string })[];
}

/**
 * Follows a profile through source_profile to the profile whose flow signs in: what a flow's own
 * command (fedlogin saml --profile X) goes through and doctor prints. Refuses what loginPlan
 * refuses (cycles, depth, missing pieces, bad ARNs and external IDs). Pure apart from reading
 * ~/.aws/config.
 */
export function profileChain(profile: ProfileSettings, env: NodeJS.ProcessEnv): ProfileChain {
  const profiles: ProfileSettings[] = [];
  const levels: ProfileChain['hops'][] = [];
  let current = profile;
  for (;;) {
    const plan = loginPlan(
      current,
      env,
      profiles.map((p) => p.name),
    );
    profiles.push(current);
    const own =
      plan.kind === 'flow'
        ? plan.chainHops
        : [{ roleArn: plan.hop.roleArn, externalId: plan.hop.externalId }, ...plan.chainHops];
    const name = current.name;
    levels.push(own.map((hop) => ({ ...hop, profile: name })));
    if (plan.kind === 'flow') return { profiles, root: current, flow: plan.flow, hops: levels.reverse().flat() };
    current = plan.source;
  }
}

/** "deploy -> app -> ci (saml), then AssumeRole arn:...:role/app -> arn:...:role/deploy". Pure. */
export function describeChain(chain: ProfileChain): string {
  const names = chain.profiles.map((p) => p.name).join(' -> ');
  const hops = chain.hops.map((h) => `${h.roleArn}${h.externalId ? ' (external ID)' : ''}`).join(' -> ');
  return `${names} (${chain.flow})${hops ? `, then AssumeRole ${hops}` : ''}`;
}

/**
 * An STS client for a chain: the first hop's partition, the usual region precedence for the
 * profile, its ca_bundle (the proxy settings come from the environment, as for every client).
 */
export async function chainSts(roleArn: string, profile: ProfileSettings, context: ProviderContext): Promise<StsApi> {
  // the SDK and the network layer load only when a chain really calls STS (not on a cache hit)
  const { createSts } = await import('../aws/stsClient.js');
  const values = new ProfileValues(profile);
  const region = resolveRegion({
    flag: context.regionFlag,
    env: context.env,
    profile: values.string('region'),
    partition: parseRoleArn(roleArn).partition,
  });
  return createSts({
    region,
    endpoint: stsEndpointFor(region, context.env),
    logger: context.logger,
    caBundle: values.string('ca_bundle'),
  });
}

/**
 * The session policy for a flow's own STS call on behalf of a profile: none when the profile has
 * hops (fedlogin_chain_role_arn), since the policy then narrows the last hop.
 */
export async function flowCallPolicy(values: ProfileValues, env: NodeJS.ProcessEnv) {
  return resolveChainHops(undefined, values).length > 0 ? undefined : sessionPolicyFor({}, values, env);
}
