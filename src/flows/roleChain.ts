import { parseRoleArn } from '../aws/arn.js';
import { chainedDuration } from '../aws/durationFallback.js';
import { parseExternalId } from '../aws/externalId.js';
import type { SessionPolicy } from '../aws/sessionPolicy.js';
import type { StsApi } from '../aws/stsClient.js';
import type { ProfileValues } from '../config/profileValues.js';
import type { Credentials } from '../core/credentials.js';
import { usageError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { plural } from '../core/plural.js';
import { sanitizeSessionName } from '../core/sessionName.js';

/** One AssumeRole after a flow's login (or after a source profile's credentials). */
export interface ChainHop {
  roleArn: string;
  externalId?: string | undefined;
  roleSessionName?: string | undefined;
  durationSeconds?: number | undefined;
  sessionPolicy?: SessionPolicy | undefined;
}

/** A hop's role and the external ID its trust policy asks for. */
export type HopTarget = Pick<ChainHop, 'roleArn' | 'externalId'>;

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
 * The hops of --chain-role-arn, else of fedlogin_chain_role_arn with their external IDs from
 * fedlogin_chain_external_id: one per hop, in the hops' order, `-` for a hop without one (an
 * external ID is at least 2 characters, so `-` is never one), separated like the ARNs. The hops
 * of the flag take none of the profile's IDs. Checked before any call. Pure.
 */
export function resolveChainHops(flag: readonly string[] | undefined, profile: ProfileValues | undefined): HopTarget[] {
  const arns = resolveChainRoleArns(flag, profile);
  const ids =
    flag === undefined
      ? profile?.parsed('fedlogin_chain_external_id', (v) => parseChainExternalIds(v, arns.length))
      : undefined;
  return arns.map((roleArn, i) => ({ roleArn, externalId: ids?.[i] }));
}

/** fedlogin_chain_external_id's value for `hops` hops: an ID or undefined (`-`) per hop. Pure. */
export function parseChainExternalIds(value: string, hops: number): (string | undefined)[] {
  const ids = value.split(/[\s,]+/).filter(Boolean);
  if (ids.length !== hops) {
    throw usageError(
      'EXTERNAL_ID_INVALID',
      `${plural(ids.length, 'external ID')} for ${plural(hops, 'fedlogin_chain_role_arn hop')}: give one per hop, in order, with - for a hop without one.`,
    );
  }
  return ids.map((id, i) => (id === '-' ? undefined : parseExternalId(id, `the external ID of hop ${i + 1}`)));
}

/**
 * Where a profile's session policy goes when it has hops: on the last hop, so it narrows the
 * credentials the profile hands out and never blocks the AssumeRole calls before it. Pure.
 */
export function placeSessionPolicy(
  targets: readonly HopTarget[],
  common: Omit<ChainHop, 'roleArn' | 'externalId' | 'sessionPolicy'>,
  sessionPolicy: SessionPolicy | undefined,
): { firstCall: SessionPolicy | undefined; hops: ChainHop[] } {
  return {
    firstCall: targets.length === 0 ? sessionPolicy : undefined,
    hops: targets.map((target, i) => ({
      ...common,
      ...target,
      sessionPolicy: i === targets.length - 1 ? sessionPolicy : undefined,
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
