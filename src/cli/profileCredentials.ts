/**
 * The credentials of a profile for the commands that hand them on (env, exec, serve, console):
 * from the cache, refreshed through the profile's flow inside the refresh window, exactly as
 * credential-process does (cachedLogin: cache, cross-process lock, single flight), chains included
 * (role_arn with source_profile: src/flows/profileChain.ts).
 */
import { parseRoleArn } from '../aws/arn.js';
import { type Partition, partitionOfRegion } from '../aws/partition.js';
import { loadProfile, type ProfileSettings, requireProfile } from '../config/profileSettings.js';
import { ProfileValues } from '../config/profileValues.js';
import { resolveRegion } from '../config/resolveRegion.js';
import { systemClock } from '../core/clock.js';
import type { Credentials } from '../core/credentials.js';
import { type CachedLoginResult, type ChainedLoginOptions, cachedLogin } from '../flows/cachedLogin.js';
import type { CliContext } from './context.js';
import { hasTerminal } from './terminal.js';

export interface ProfileCredentials {
  profile: ProfileSettings;
  /** --region > AWS_REGION > AWS_DEFAULT_REGION > the profile's region > the partition's default */
  region: string;
  /** the partition of the profile's role (fedlogin_role_arn), else of the region */
  partition: Partition;
  /** asks the cache on every call; concurrent calls share one lookup */
  credentials(): Promise<Credentials>;
}

/** The profile --profile (or AWS_PROFILE) names, when it exists: its keys fill in what flags leave open. */
export function namedProfileValues(context: CliContext): ProfileValues | undefined {
  const profile = context.profile ? loadProfile(context.env, context.profile) : undefined;
  return profile ? new ProfileValues(profile) : undefined;
}

/**
 * cachedLogin run by a command: the flow's context from the command's, and the credentials
 * registered with the logger as secrets.
 */
export async function commandCachedLogin(
  profile: ProfileSettings,
  context: CliContext,
  options: ChainedLoginOptions & { interactive: boolean },
): Promise<CachedLoginResult> {
  const { interactive, ...rest } = options;
  const result = await cachedLogin(
    profile,
    {
      env: context.env,
      logger: context.logger,
      clock: systemClock,
      regionFlag: context.region,
      interactive,
      noColor: context.noColor,
    },
    rest,
  );
  context.logger.addSecret(result.credentials.secretAccessKey);
  context.logger.addSecret(result.credentials.sessionToken);
  return result;
}

function requireProfileOf(context: CliContext): ProfileSettings {
  return requireProfile(context.env, context.profile ?? 'default');
}

function partitionOf(values: ProfileValues, context: CliContext): Partition {
  // a chained profile (source_profile) names its role in the AWS CLI's own key
  const key = values.string('source_profile') === undefined ? 'fedlogin_role_arn' : 'role_arn';
  const role = values.parsed(key, (value) => parseRoleArn(value, key));
  if (role) return role.partition;
  const { env } = context;
  const region = [context.region, env.AWS_REGION, env.AWS_DEFAULT_REGION, values.string('region')].find(
    (v) => v && v.trim(),
  );
  return partitionOfRegion(region?.trim() ?? 'us-east-1');
}

export function profileCredentials(context: CliContext): ProfileCredentials {
  const profile = requireProfileOf(context);
  const values = new ProfileValues(profile);
  const partition = partitionOf(values, context);
  const region = resolveRegion({ flag: context.region, env: context.env, profile: values.string('region'), partition });
  let pending: Promise<Credentials> | undefined;
  const lookUp = async () => {
    const result = await commandCachedLogin(profile, context, { interactive: hasTerminal() });
    context.logger.debug(
      `profile ${profile.name}: ${result.fromCache ? 'from the cache' : 'refreshed'} (${result.store} store)`,
    );
    return result.credentials;
  };
  return {
    profile,
    region,
    partition,
    credentials() {
      pending ??= lookUp().finally(() => {
        pending = undefined;
      });
      return pending;
    },
  };
}
