import type { RoleArn } from '../../../aws/arn.js';
import type { ProfileValues } from '../../../config/profileValues.js';
import type { Credentials } from '../../../core/credentials.js';
import { type FedloginError, isFedloginError, usageError } from '../../../core/errors.js';
import { escapeControl } from '../../../core/escapeControl.js';
import { plural } from '../../../core/plural.js';
import { exchangeForCredentials } from '../../../flows/oidc/exchange.js';
import { signInWithOidc } from '../../../flows/oidc/login.js';
import type { nodeOidcDeps } from '../../../flows/oidc/nodeOidcDeps.js';
import { parseRoleArnList } from '../../../flows/oidc/roleArns.js';
import type { OidcSettings } from '../../../flows/oidc/settings.js';
import {
  oidcTag,
  policySettings,
  rolePlanOptions,
  roleProfile,
  roleProfileSettings,
} from '../../../flows/roleProfiles.js';
import { parseAccountAliases } from '../../../flows/saml/accountAliases.js';
import { checkProfileTemplate, DEFAULT_PROFILE_TEMPLATE, profileNameFor } from '../../../flows/saml/profileName.js';
import type { CliContext } from '../../context.js';
import { launcherWords, nodeLauncherDeps } from '../../launcher.js';
import { fillProfileCache, syncProfiles, throwRoleFailures } from '../../syncProfiles.js';
import type { OidcOptions } from './action.js';

/** The roles of `oidc --all-roles`: --role-arns, else the profile's fedlogin_role_arns. */
export function allRolesOf(options: OidcOptions, profile: ProfileValues | undefined): RoleArn[] {
  if (options.roleArn !== undefined)
    throw usageError(
      'OPTION_CONFLICT',
      '--all-roles writes the listed roles; give them as --role-arns, not --role-arn.',
    );
  checkProfileTemplate(options.profileTemplate ?? DEFAULT_PROFILE_TEMPLATE);
  if (options.roleArns !== undefined) return parseRoleArnList(options.roleArns, '--role-arns');
  const listed = profile?.parsed('fedlogin_role_arns', (v) => parseRoleArnList(v, 'fedlogin_role_arns'));
  if (!listed)
    throw usageError(
      'ROLE_ARN_MISSING',
      '--all-roles needs the roles: pass --role-arns ARN,ARN... or --profile naming a profile with fedlogin_role_arns.',
      { hint: 'Example: fedlogin_role_arns = arn:aws:iam::123456789012:role/dev, arn:aws:iam::210987654321:role/ops' },
    );
  return listed;
}

/** What a command-line flag of `oidc` becomes in a role profile (the profile's own keys fill the rest). */
function givenSettings(options: OidcOptions): Record<string, string | undefined> {
  return {
    fedlogin_issuer: options.issuer,
    fedlogin_client_id: options.clientId,
    fedlogin_scope: options.scope,
    fedlogin_token_type: options.tokenType,
    fedlogin_device: options.device === undefined ? undefined : String(options.device),
    fedlogin_open_browser: options.browser === false ? 'false' : undefined,
    fedlogin_browser: typeof options.browser === 'string' ? options.browser : undefined,
    fedlogin_browser_profile: options.browserProfile,
    fedlogin_prompt: options.prompt,
    fedlogin_timeout: options.timeout,
    fedlogin_duration: options.duration,
    fedlogin_role_session_name: options.roleSessionName,
    ...policySettings(options),
  };
}

export interface OidcAllRolesInput {
  roles: RoleArn[];
  settings: OidcSettings;
  deps: ReturnType<typeof nodeOidcDeps>;
  options: OidcOptions;
  profile: ProfileValues | undefined;
}

/**
 * `oidc --all-roles`: one renewing credential_process profile per listed role (tagged
 * oidc:<issuer> <client id>), and one sign-in whose token is exchanged for every role to fill the
 * profiles' caches. The refresh token saved by that sign-in is the one every profile renews with
 * (secretKeys.ts: per issuer, client and scope). --dry-run signs in nowhere.
 */
export async function writeOidcRoles(input: OidcAllRolesInput, context: CliContext): Promise<void> {
  const { roles, settings, deps, options } = input;
  const { env, logger } = context;
  const template = options.profileTemplate ?? DEFAULT_PROFILE_TEMPLATE;
  const aliases =
    options.accountAliases !== undefined
      ? parseAccountAliases(options.accountAliases, '--account-aliases')
      : (input.profile?.parsed('fedlogin_account_aliases', (v) => parseAccountAliases(v)) ?? new Map<string, string>());
  const names = roles.map((role) =>
    profileNameFor(template, { ...role, roleArn: role.arn, principalArn: '', partition: role.partition.name }, aliases),
  );
  const common = {
    flow: 'oidc' as const,
    launcher: launcherWords(nodeLauncherDeps(env)),
    settings: roleProfileSettings('oidc', givenSettings(options), input.profile),
    region: context.region ?? input.profile?.string('region'),
  };
  const wanted = roles.map((role, i) =>
    roleProfile({ name: names[i]!, roleArn: role.arn, what: `${role.roleName} in ${role.accountId}` }, common),
  );
  const issuer = settings.issuer.url.href.replace(/\/+$/, '');
  const run = {
    ...rolePlanOptions('oidc', oidcTag(issuer, settings.clientId)),
    prune: options.prune === true,
    dryRun: options.dryRun === true,
    label: `${issuer} (${settings.clientId})`,
    count: roles.length,
  };
  if (run.dryRun) {
    await syncProfiles(wanted, run, context);
    return;
  }
  const issued = new Map<string, Credentials>();
  const failures: FedloginError[] = [];
  await signInWithOidc(settings, deps, async (tokens, use) => {
    const sts = await deps.sts();
    let first: Credentials | undefined;
    for (const role of roles) {
      try {
        const credentials = await exchangeForCredentials(
          tokens,
          { ...settings, roleArn: role.arn, tokenType: use },
          { sts, logger },
        );
        issued.set(role.arn, credentials);
        first ??= credentials;
      } catch (error) {
        if (!isFedloginError(error)) throw error;
        logger.notice(`Skipped ${role.arn}: ${error.message}`);
        failures.push(error);
      }
    }
    // every role refused: the sign-in's outcome is that refusal (the browser tab says so)
    if (!first) throw failures[0]!;
    return first;
  });
  const summary = (await syncProfiles(wanted, run, context))!;
  const kept = new Set(summary.kept);
  let filled = 0;
  for (const [i, role] of roles.entries()) {
    const credentials = issued.get(role.arn);
    if (!credentials || !kept.has(names[i]!)) continue;
    await fillProfileCache(names[i]!, credentials, env);
    filled++;
  }
  logger.notice(
    `${plural(filled, 'profile')} ready to use from the cache (aws --profile ${escapeControl([...kept][0] ?? 'NAME')} ...); they renew with the saved sign-in of ${escapeControl(issuer)}.`,
  );
  throwRoleFailures(failures, roles.length);
}
