/**
 * The renewing profiles of `saml --all-roles` and `oidc --all-roles`: one credential_process
 * profile per role, carrying the flow's settings a renewal needs, planned and tagged by
 * profileSync.ts. Pure.
 */
import { resolve } from 'node:path';
import { COMMON_KEYS, FLOW_KEYS } from '../config/profileKeys.js';
import type { FlowName, ProfileValues } from '../config/profileValues.js';
import { credentialProcessLine } from '../output/credentialProcessLine.js';
import type { PlanOptions, WantedProfile } from './profileSync.js';

/** Keys of the flow a role profile never copies: its own role, the role list, names for the list, static keys. */
const NOT_COPIED = new Set([
  'fedlogin_flow',
  'fedlogin_role_arn',
  'fedlogin_role_arns',
  'fedlogin_account_aliases',
  'fedlogin_write_credentials',
  'fedlogin_managed_by',
]);

/** Session policies apply to every flow's call (flows/sessionPolicy.ts). */
const POLICY_KEYS = ['fedlogin_policy_arns', 'fedlogin_policy_file'];

/**
 * The settings keys a role profile of `flow` carries (profileKeys.ts' list for the flow, the
 * common store and refresh keys, session policies), in that order: the keys a sync owns.
 */
export function roleProfileSettingKeys(flow: FlowName): string[] {
  return [...new Set([...FLOW_KEYS[flow], ...COMMON_KEYS, ...POLICY_KEYS])].filter((k) => !NOT_COPIED.has(k));
}

/**
 * The settings for every role profile: the command line's value of a key, else the base
 * profile's (--profile), in roleProfileSettingKeys order; keys with neither are left out. Pure.
 */
export function roleProfileSettings(
  flow: FlowName,
  given: Readonly<Record<string, string | undefined>>,
  base: ProfileValues | undefined,
): [string, string][] {
  const settings: [string, string][] = [];
  for (const key of roleProfileSettingKeys(flow)) {
    const value = given[key] ?? base?.string(key);
    if (value !== undefined && value !== '') settings.push([key, value]);
  }
  return settings;
}

export interface RoleProfileInput {
  name: string;
  roleArn: string;
  /** "Dev in 123456789012", for skip reasons */
  what: string;
}

export interface RoleProfileCommon {
  flow: FlowName;
  /** the words that start this fedlogin (cli/launcher.ts launcherWords) */
  launcher: readonly string[];
  /** from roleProfileSettings */
  settings: readonly [string, string][];
  region?: string | undefined;
  platform?: NodeJS.Platform;
}

/** One renewing profile: credential_process, fedlogin_flow, the settings, fedlogin_role_arn, region. Pure. */
export function roleProfile(role: RoleProfileInput, common: RoleProfileCommon): WantedProfile {
  return {
    name: role.name,
    what: role.what,
    keys: [
      ['credential_process', credentialProcessLine(role.name, common.launcher, common.platform)],
      ['fedlogin_flow', common.flow],
      ...common.settings,
      ['fedlogin_role_arn', role.roleArn],
      ...(common.region ? ([['region', common.region]] as [string, string][]) : []),
    ],
  };
}

/** The plan options of a flow's role profiles: the tag, the keys owned, the clash hint. */
export function rolePlanOptions(flow: FlowName, tag: string): PlanOptions {
  return {
    tag,
    clashHint: 'use a --profile-template with {account_id}',
    owns: roleProfileSettingKeys(flow),
  };
}

/** --policy-arn / --policy-file as role profile keys: the file by its full path (a renewal runs in another folder). */
export function policySettings(flags: {
  policyArn?: string[] | undefined;
  policyFile?: string | undefined;
}): Record<string, string | undefined> {
  return {
    fedlogin_policy_arns: flags.policyArn?.length ? flags.policyArn.join(',') : undefined,
    fedlogin_policy_file: flags.policyFile ? resolve(flags.policyFile) : undefined,
  };
}

/** `saml:<idp url>`: the tag of the profiles `saml --all-roles` wrote for one IdP. */
export const samlTag = (idpUrl: string) => `saml:${idpUrl}`;
/** `oidc:<issuer> <client id>`: the tag of the profiles `oidc --all-roles` wrote for one issuer and client. */
export const oidcTag = (issuer: string, clientId: string) => `oidc:${issuer} ${clientId}`;
