import { performance } from 'node:perf_hooks';
import type { SessionPolicy } from '../../../aws/sessionPolicy.js';
import type { ProfileValues } from '../../../config/profileValues.js';
import { systemClock } from '../../../core/clock.js';
import type { Credentials } from '../../../core/credentials.js';
import { type FedloginError, isFedloginError, usageError } from '../../../core/errors.js';
import { escapeControl } from '../../../core/escapeControl.js';
import { plural } from '../../../core/plural.js';
import {
  policySettings,
  rolePlanOptions,
  roleProfile,
  roleProfileSettings,
  samlTag,
} from '../../../flows/roleProfiles.js';
import { exchangeAssertion, samlDuration } from '../../../flows/saml/exchange.js';
import { type AssertionSource, readAssertion } from '../../../flows/saml/login.js';
import type { SamlAssertionInfo } from '../../../flows/saml/parseAssertion.js';
import { checkProfileTemplate, profileNameFor } from '../../../flows/saml/profileName.js';
import type { SamlRole } from '../../../flows/saml/samlRole.js';
import type { StsForRole } from '../../../flows/saml/stsForRole.js';
import type { CliContext } from '../../context.js';
import { launcherWords, nodeLauncherDeps } from '../../launcher.js';
import { fillProfileCache, syncProfiles, throwRoleFailures } from '../../syncProfiles.js';
import type { SamlOptions } from './action.js';

export interface AllRolesInput {
  source: AssertionSource;
  stsFor: StsForRole;
  aliases: ReadonlyMap<string, string>;
  durationSeconds: number | undefined;
  template: string;
  sessionPolicy: SessionPolicy | undefined;
  /** the IdP URL from --idp-url or the profile (undefined with an assertion file alone) */
  idpUrl: string | undefined;
  options: SamlOptions;
  /** the saml profile --profile named, whose settings the role profiles inherit */
  profile: ProfileValues | undefined;
}

/**
 * `saml --all-roles`: one sign-in, then per role in the assertion either a renewing
 * credential_process profile in ~/.aws/config (tagged saml:<idp url>, its credential cache filled
 * from this one assertion), or with --output credentials-file static keys in ~/.aws/credentials.
 * Roles STS refuses are reported at the end.
 */
export async function writeAllRoles(input: AllRolesInput, context: CliContext): Promise<void> {
  const toConfig = input.options.output !== 'credentials-file';
  if (toConfig && !input.idpUrl) {
    throw usageError(
      'IDP_URL_MISSING',
      '--all-roles writes profiles that renew at the IdP, and no IdP URL was given: pass --idp-url (or --profile naming a saml profile).',
      { hint: 'For static keys from an assertion file alone: add --output credentials-file.' },
    );
  }
  if (!toConfig && (input.options.prune || input.options.dryRun))
    throw usageError('OPTION_CONFLICT', '--prune and --dry-run are for ~/.aws/config profiles; leave out --output.');
  checkProfileTemplate(input.template);
  // no STS client is made for a dry run
  if (!input.options.dryRun) input.stsFor.prepare();
  const { samlResponse, info, capturedAt, closed } = await readAssertion(input.source, context.logger, systemClock);
  try {
    const names = await accountNames(input, context, samlResponse, info);
    const roleNames = info.roles.map((role) => profileNameFor(input.template, role, names));
    if (toConfig) await writeRoleProfiles(input, context, { samlResponse, info, roleNames });
    else await writeCredentialsProfiles(input, context, { samlResponse, info, roleNames });
    if (capturedAt !== undefined)
      context.logger.debug(
        `timing: captured POST -> ${plural(info.roles.length, 'profile')} written in ${Math.round(performance.now() - capturedAt)} ms`,
      );
  } finally {
    await closed;
  }
}

/** --account-aliases first; for accounts still without a name, AWS's role-selection page (unless turned off). */
async function accountNames(
  input: AllRolesInput,
  context: CliContext,
  samlResponse: string,
  info: SamlAssertionInfo,
): Promise<ReadonlyMap<string, string>> {
  const missing = info.roles.some((role) => !input.aliases.has(role.accountId));
  if (!missing || input.options.accountNamesFromAws === false) return input.aliases;
  const [{ fetchAwsAccountNames, mergeAccountNames }, { httpRequest }] = await Promise.all([
    import('../../../flows/saml/awsAccountNames.js'),
    import('../../../aws/network/httpRequest.js'),
  ]);
  const fromAws = await fetchAwsAccountNames(samlResponse, info, {
    fetch: httpRequest,
    logger: context.logger,
    env: context.env,
  });
  const merged = mergeAccountNames(input.aliases, fromAws);
  for (const [id, name] of merged)
    if (!input.aliases.has(id)) context.logger.debug(`account ${id}: "${escapeControl(name)}" from AWS's sign-in page`);
  return merged;
}

interface Assertion {
  samlResponse: string;
  info: SamlAssertionInfo;
  /** the profile name of each role, in info.roles order */
  roleNames: string[];
}

/** What a command-line flag of `saml` becomes in a role profile (the profile's own keys fill the rest). */
function givenSettings(input: AllRolesInput): Record<string, string | undefined> {
  const o = input.options;
  return {
    fedlogin_idp_url: input.idpUrl,
    fedlogin_browser: o.browser,
    fedlogin_browser_profile: o.browserProfile,
    fedlogin_browser_url: o.browserUrl,
    fedlogin_browser_mode: o.headed ? 'headed' : o.headless ? 'headless' : undefined,
    fedlogin_acs_url_pattern: o.acsUrlPattern,
    fedlogin_duration: o.duration,
    fedlogin_login_timeout: o.timeout,
    fedlogin_silent_timeout: o.silentTimeout,
    ...policySettings(o),
  };
}

async function writeRoleProfiles(input: AllRolesInput, context: CliContext, assertion: Assertion): Promise<void> {
  const { info, roleNames } = assertion;
  const { env, logger } = context;
  const idpUrl = input.idpUrl!;
  const common = {
    flow: 'saml' as const,
    launcher: launcherWords(nodeLauncherDeps(env)),
    settings: roleProfileSettings('saml', givenSettings(input), input.profile),
    region: context.region ?? input.profile?.string('region'),
  };
  const wanted = info.roles.map((role, i) =>
    roleProfile({ name: roleNames[i]!, roleArn: role.roleArn, what: `${role.roleName} in ${role.accountId}` }, common),
  );
  const summary = await syncProfiles(
    wanted,
    {
      ...rolePlanOptions('saml', samlTag(idpUrl)),
      prune: input.options.prune === true,
      dryRun: input.options.dryRun === true,
      label: idpUrl,
      count: info.roles.length,
    },
    context,
  );
  // a dry run asks STS nothing
  if (!summary) return;
  const kept = new Set(summary.kept);
  const durationSeconds = samlDuration(input.durationSeconds, info, logger);
  const failures: FedloginError[] = [];
  let filled = 0;
  for (const [i, role] of info.roles.entries()) {
    const name = roleNames[i]!;
    if (!kept.has(name)) continue;
    const credentials = await assume(input, context, assertion.samlResponse, role, durationSeconds, failures);
    if (!credentials) continue;
    await fillProfileCache(name, credentials, env);
    filled++;
  }
  logger.notice(
    `${plural(filled, 'profile')} ready to use from the cache (aws --profile ${escapeControl([...kept][0] ?? 'NAME')} ...); they renew at ${escapeControl(idpUrl)} when the credentials expire.`,
  );
  throwRoleFailures(failures, info.roles.length);
}

async function assume(
  input: AllRolesInput,
  context: CliContext,
  samlResponse: string,
  role: SamlRole,
  durationSeconds: number | undefined,
  failures: FedloginError[],
): Promise<Credentials | undefined> {
  try {
    const sts = await input.stsFor(role);
    return await exchangeAssertion(sts, role, samlResponse, durationSeconds, context.logger, input.sessionPolicy);
  } catch (error) {
    if (!isFedloginError(error)) throw error;
    context.logger.notice(`Skipped ${role.roleArn}: ${error.message}`);
    failures.push(error);
    return undefined;
  }
}

/** --output credentials-file: static keys per role in ~/.aws/credentials (they expire with the session). */
async function writeCredentialsProfiles(input: AllRolesInput, context: CliContext, assertion: Assertion) {
  const { info, roleNames, samlResponse } = assertion;
  const { logger, env } = context;
  const duplicate = roleNames.find((name, i) => roleNames.indexOf(name) !== i);
  if (duplicate) {
    throw usageError(
      'PROFILE_TEMPLATE_CLASH',
      `--profile-template "${input.template}" gives the name ${duplicate} to more than one role.`,
      { hint: 'Add {account_id} or {partition} to the template.' },
    );
  }
  const { credentialsFilePath, writeCredentialsProfile } = await import('../../../store/awsFiles.js');
  const path = credentialsFilePath(env);
  const failures: FedloginError[] = [];
  // the IdP's SessionDuration is one limit for every role: said once, not once per role
  const durationSeconds = samlDuration(input.durationSeconds, info, logger);
  for (const [i, role] of info.roles.entries()) {
    const credentials = await assume(input, context, samlResponse, role, durationSeconds, failures);
    if (!credentials) continue;
    try {
      await writeCredentialsProfile(path, roleNames[i]!, credentials, { notice: (line) => logger.notice(line) });
    } catch (error) {
      if (!isFedloginError(error)) throw error;
      logger.notice(`Skipped ${role.roleArn}: ${error.message}`);
      failures.push(error);
      continue;
    }
    logger.notice(
      `Wrote [${roleNames[i]}] for ${role.roleArn} to ${path} (expires ${credentials.expiration.toISOString()}).`,
    );
  }
  throwRoleFailures(failures, info.roles.length);
}
