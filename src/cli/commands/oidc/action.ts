import { systemClock } from '../../../core/clock.js';
import { usageError } from '../../../core/errors.js';
import { openProfileStore } from '../../../flows/cachedLogin.js';
import { loginWithOidc } from '../../../flows/oidc/login.js';
import { nodeOidcDeps } from '../../../flows/oidc/nodeOidcDeps.js';
import { resolveOidcSettings } from '../../../flows/oidc/resolveSettings.js';
import { configFilePath } from '../../../store/awsPaths.js';
import type { CliContext } from '../../context.js';
import { deliver } from '../../deliver.js';
import { directPolicies, directProfile, givenFlags, throughChain } from '../../directChain.js';
import { hasTerminal } from '../../terminal.js';

export interface OidcOptions {
  issuer?: string;
  clientId?: string;
  roleArn?: string;
  scope?: string;
  tokenType?: string;
  /** only when typed: --device or --no-device (else the profile's setting applies) */
  device?: boolean | undefined;
  /** false with --no-browser; a name or path with --browser */
  browser?: string | false;
  browserProfile?: string;
  prompt?: string;
  timeout?: string;
  duration?: string;
  roleSessionName?: string;
  policyArn?: string[];
  policyFile?: string;
  output?: string;
  format?: string;
  /** a profile per role of --role-arns / fedlogin_role_arns, from one sign-in */
  allRoles?: boolean;
  roleArns?: string;
  profileTemplate?: string;
  accountAliases?: string;
  prune?: boolean;
  dryRun?: boolean;
}

/** Flags that change what the sign-in gets: with a chained --profile, its hops then are not cached. */
const SIGN_IN_FLAGS = {
  issuer: '--issuer',
  clientId: '--client-id',
  roleArn: '--role-arn',
  scope: '--scope',
  tokenType: '--token-type',
  duration: '--duration',
  roleSessionName: '--role-session-name',
  policyArn: '--policy-arn',
  policyFile: '--policy-file',
};

/**
 * `fedlogin oidc`: always a fresh sign-in (this is the command a person runs to sign in); the
 * refresh token it receives is saved so that profiles with the same issuer, client and scope renew
 * silently afterwards. With --profile, the profile's fedlogin_* keys fill what the flags leave out;
 * a chained profile's hops follow the sign-in (directChain.ts).
 */
export async function runOidc(options: OidcOptions, context: CliContext): Promise<void> {
  const { env, logger } = context;
  const started = systemClock.now();
  const direct = directProfile(context, 'oidc');
  const profile = direct.values;
  const profileSettings = profile?.profile;
  if (context.profile && !profileSettings && !options.issuer) {
    throw usageError('PROFILE_NOT_FOUND', `No profile "${context.profile}" in ${configFilePath(env)}.`, {
      hint: 'Pass --issuer, --client-id and --role-arn, or create the profile.',
    });
  }
  const allRolesOnly = [
    options.prune && '--prune',
    options.dryRun && '--dry-run',
    options.roleArns !== undefined && '--role-arns',
    options.accountAliases !== undefined && '--account-aliases',
  ].find(Boolean);
  if (!options.allRoles && allRolesOnly) throw usageError('OPTION_CONFLICT', `${allRolesOnly} goes with --all-roles.`);
  if (options.allRoles && direct.chain)
    throw usageError(
      'OPTION_CONFLICT',
      `--all-roles writes one profile per role, and profile ${direct.chain.profiles[0]!.name} has hops after its role: leave out --all-roles, or name a profile without hops.`,
    );
  if (options.allRoles && (options.output || options.format))
    throw usageError('OPTION_CONFLICT', '--all-roles writes ~/.aws/config profiles; leave out --output and --format.');
  const allRoles = options.allRoles ? (await import('./allRoles.js')).allRolesOf(options, profile) : undefined;
  const resolved = resolveOidcSettings(
    {
      issuer: options.issuer,
      clientId: options.clientId,
      roleArn: allRoles ? allRoles[0]!.arn : options.roleArn,
      scope: options.scope,
      tokenType: options.tokenType,
      device: options.device,
      browser: options.browser,
      browserProfile: options.browserProfile,
      prompt: options.prompt,
      timeout: options.timeout,
      duration: options.duration,
      roleSessionName: options.roleSessionName,
    },
    profile,
    env,
    { label: 'This sign-in', signInCommand: 'fedlogin oidc in a terminal' },
  );
  // read and checked before anyone signs in
  const policies = await directPolicies(direct, options, env);
  const settings = { ...resolved, sessionPolicy: policies.flowCall };
  const secrets = await openProfileStore(profileSettings, env);
  const deps = nodeOidcDeps({
    env,
    logger,
    secrets,
    roleArn: settings.roleArn,
    regionFlag: context.region,
    profileRegion: profile?.string('region'),
    // fedlogin oidc is run by a person: it asks even when stdin is not a terminal (the URL goes to stderr)
    interactive: true,
    silentFirst: false,
    browser: settings.browser,
  });
  logger.debug(
    `oidc: terminal ${hasTerminal() ? 'present' : 'absent'}; ${deps.canOpenBrowser ? 'a browser can be opened' : 'no display for a browser'}`,
  );
  if (allRoles) {
    const { writeOidcRoles } = await import('./allRoles.js');
    await writeOidcRoles({ roles: allRoles, settings, deps, options, profile }, context);
    return;
  }
  const credentials = await throughChain(
    direct,
    await loginWithOidc(settings, deps),
    { overrides: givenFlags(options, SIGN_IN_FLAGS), lastHop: policies.lastHop },
    context,
  );
  await deliver(credentials, { output: options.output, format: options.format, region: deps.region }, context);
  logger.debug(`oidc timing: credentials printed ${systemClock.now() - started} ms after start`);
}
