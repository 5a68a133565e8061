import { SAFE_DURATION_SECONDS, STS_SESSION_SECONDS } from '../../../aws/durationFallback.js';
import type { ProfileSettings } from '../../../config/profileSettings.js';
import { ProfileValues } from '../../../config/profileValues.js';
import { isFedloginError } from '../../../core/errors.js';
import { plural } from '../../../core/plural.js';
import { describeChain, type ProfileChain, profileChain } from '../../../flows/profileChain.js';
import { type Check, fail, ok, warn } from './check.js';

/** What the chain check found: the chain when it is whole (its source profiles are checked in turn). */
export interface ChainResult {
  checks: Check[];
  chain?: ProfileChain;
}

/** Whether a profile has (or means to have) hops of its own: source_profile, or fedlogin_chain_* or external_id keys. */
export function isChained(profile: ProfileSettings): boolean {
  const values = new ProfileValues(profile);
  return ['source_profile', 'fedlogin_chain_role_arn', 'fedlogin_chain_external_id', 'external_id'].some(
    (key) => values.string(key) !== undefined,
  );
}

/**
 * Whether following source_profile from `profile` reaches a profile with fedlogin_flow: the chained
 * profiles fedlogin serves (env, exec, serve, console), which doctor checks with the others. Stops
 * at a cycle or a missing profile (the chain check of a named profile reports those).
 */
export function leadsToFedlogin(
  profile: ProfileSettings,
  load: (name: string) => ProfileSettings | undefined,
): boolean {
  const seen = new Set<string>();
  let current: ProfileSettings | undefined = profile;
  while (current && !seen.has(current.name)) {
    seen.add(current.name);
    if (current.values.fedlogin_flow !== undefined) return true;
    const source = new ProfileValues(current).string('source_profile');
    current = source === undefined ? undefined : load(source);
  }
  return false;
}

/**
 * A chained profile's chain, validated by the parsers its login uses (role ARNs, external IDs,
 * duration_seconds, cycles and depth: profileChain), printed as profile -> source -> hops; and
 * the one-hour cap of chained sessions when the profile asks for more.
 */
export function chainChecks(profile: ProfileSettings, env: NodeJS.ProcessEnv): ChainResult {
  const name = profile.name;
  let chain: ProfileChain;
  try {
    chain = profileChain(profile, env);
  } catch (error) {
    if (!isFedloginError(error)) throw error;
    return { checks: [fail('chain', error.message, error.hint ?? `Fix the profile in ${profile.file}.`, name)] };
  }
  const values = new ProfileValues(profile);
  const own = chain.hops.filter((hop) => hop.profile === name).length;
  // a flow profile's fedlogin_duration is its sign-in's; its hops are cut to an hour (the settings check reports a bad value)
  let flowDuration: number | undefined;
  try {
    flowDuration = chain.root === profile ? values.seconds('fedlogin_duration', STS_SESSION_SECONDS) : undefined;
  } catch {}
  const capped =
    flowDuration !== undefined && flowDuration > SAFE_DURATION_SECONDS
      ? `; fedlogin_duration = ${flowDuration} s is the sign-in's, the hops get ${SAFE_DURATION_SECONDS} s (AWS's limit for role chaining)`
      : '';
  const checks: Check[] = [];
  if (chain.hops.length > 0)
    checks.push({
      ...ok(
        'chain',
        `${describeChain(chain)}: ${plural(chain.hops.length, 'AssumeRole call')} after the ${chain.flow} sign-in of profile ${chain.root.name}, ${own} of them this profile's${capped}.`,
        name,
      ),
      chain: {
        profiles: chain.profiles.map((p) => p.name),
        flow: chain.flow,
        hops: chain.hops.map((h) => ({
          profile: h.profile,
          roleArn: h.roleArn,
          externalId: h.externalId !== undefined,
        })),
      },
    });
  if (chain.root === profile && values.string('external_id') !== undefined) {
    checks.push(
      warn(
        'chain-external-id',
        `external_id in [${profile.section}] is read only with role_arn and source_profile; fedlogin ignores it here.`,
        'For fedlogin_chain_role_arn hops set fedlogin_chain_external_id (one per hop, in order, - for none); else remove external_id.',
        name,
      ),
    );
  }
  // a source_profile hop's duration_seconds applies to the hops only: above an hour it is always cut
  const asked = values.string('source_profile') !== undefined ? Number(values.string('duration_seconds')) : Number.NaN;
  if (asked > SAFE_DURATION_SECONDS) {
    checks.push(
      warn(
        'chain-duration',
        `duration_seconds = ${asked}: role chaining is limited to ${SAFE_DURATION_SECONDS} s by AWS, so ${chain.hops.find((h) => h.profile === name)!.roleArn} gets ${SAFE_DURATION_SECONDS} s (fedlogin says so at each login).`,
        `Set duration_seconds = ${SAFE_DURATION_SECONDS} or less in ${profile.file} [${profile.section}].`,
        name,
      ),
    );
  }
  return { checks, chain };
}
