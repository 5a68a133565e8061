import { parseRoleArn } from '../aws/arn.js';
import { chainedDuration } from '../aws/durationFallback.js';
import type { SessionPolicy } from '../aws/sessionPolicy.js';
import type { StsApi } from '../aws/stsClient.js';
import type { ProfileValues } from '../config/profileValues.js';
import type { Credentials } from '../core/credentials.js';
import type { Logger } from '../core/logger.js';
import { sanitizeSessionName } from '../core/sessionName.js';

/** One AssumeRole after a flow's login (or after a source profile's credentials). */
export interface ChainHop {
  roleArn: string;
  externalId?: string | undefined;
  roleSessionName?: string | undefined;
  durationSeconds?: number | undefined;
  sessionPolicy?: SessionPolicy | undefined;
}

/**
 * --chain-role-arn (repeatable) > fedlogin_chain_role_arn (comma/space separated, on any flow):
 * the roles assumed one after the other once the flow has credentials. Pure.
 */
export function resolveChainRoleArns(
  flag: readonly string[] | undefined,
  profile: ProfileValues | undefined,
): string[] {
  if (flag !== undefined) return flag.map((arn) => parseRoleArn(arn, '--chain-role-arn').arn);
  return (
    profile?.parsed('fedlogin_chain_role_arn', (v) =>
      v
        .split(/[\s,]+/)
        .filter(Boolean)
        .map((arn) => parseRoleArn(arn, 'fedlogin_chain_role_arn').arn),
    ) ?? []
  );
}

/**
 * Where a profile's session policy goes when it has hops: on the last hop, so it narrows the
 * credentials the profile hands out and never blocks the AssumeRole calls before it. Pure.
 */
export function placeSessionPolicy(
  roleArns: readonly string[],
  common: Omit<ChainHop, 'roleArn' | 'sessionPolicy'>,
  sessionPolicy: SessionPolicy | undefined,
): { firstCall: SessionPolicy | undefined; hops: ChainHop[] } {
  return {
    firstCall: roleArns.length === 0 ? sessionPolicy : undefined,
    hops: roleArns.map((roleArn, i) => ({
      ...common,
      roleArn,
      sessionPolicy: i === roleArns.length - 1 ? sessionPolicy : undefined,
    })),
  };
}

/**
 * AssumeRole hop after hop, each signed with the credentials of the one before. AWS caps chained
 * sessions at one hour (chainedDuration says so once per hop asked for more). The session name of
 * a hop defaults to the one given for the chain.
 */
export async function assumeRoleChain(
  source: Credentials,
  hops: readonly ChainHop[],
  deps: { sts: StsApi; logger: Logger },
  defaultSessionName: string,
): Promise<Credentials> {
  let credentials = source;
  for (const hop of hops) {
    const role = parseRoleArn(hop.roleArn);
    credentials = await deps.sts.assumeRole(
      credentials,
      {
        roleArn: role.arn,
        roleSessionName: sanitizeSessionName(hop.roleSessionName ?? defaultSessionName),
        durationSeconds: chainedDuration(hop.durationSeconds, deps.logger, role.arn),
        externalId: hop.externalId,
        sessionPolicy: hop.sessionPolicy,
      },
      { action: 'AssumeRole', roleArn: role.arn },
    );
    deps.logger.addSecret(credentials.secretAccessKey);
    deps.logger.addSecret(credentials.sessionToken);
  }
  return credentials;
}
