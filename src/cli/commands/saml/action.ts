import { performance } from 'node:perf_hooks';
import { systemClock } from '../../../core/clock.js';
import { usageError } from '../../../core/errors.js';
import { openProfileStore } from '../../../flows/cachedLogin.js';
import { assertionFileSource } from '../../../flows/saml/assertionFile.js';
import { type AssertionSource, loginWithSaml } from '../../../flows/saml/login.js';
import { DEFAULT_PROFILE_TEMPLATE } from '../../../flows/saml/profileName.js';
import { resolveSamlSettings } from '../../../flows/saml/resolveSettings.js';
import type { SamlRole } from '../../../flows/saml/samlRole.js';
import { sharedBrowserSource } from '../../../flows/saml/sharedAssertion.js';
import { stsForRole } from '../../../flows/saml/stsForRole.js';
import type { CliContext } from '../../context.js';
import { deliver } from '../../deliver.js';
import { type DirectProfile, directPolicies, directProfile, givenFlags, throughChain } from '../../directChain.js';
import { hasTerminal } from '../../terminal.js';

export interface SamlOptions {
  idpUrl?: string;
  roleArn?: string;
  assertionFile?: string;
  browser?: string;
  browserProfile?: string;
  browserUrl?: string;
  headed?: boolean;
  headless?: boolean;
  acsUrlPattern?: string;
  accountAliases?: string;
  duration?: string;
  allRoles?: boolean;
  profileTemplate?: string;
  /** --all-roles: remove this IdP's profiles for roles it no longer grants */
  prune?: boolean;
  /** --all-roles: print the changes to ~/.aws/config and write nothing */
  dryRun?: boolean;
  /** false with --no-account-names-from-aws */
  accountNamesFromAws?: boolean;
  timeout?: string;
  silentTimeout?: string;
  policyArn?: string[];
  policyFile?: string;
  output?: string;
  format?: string;
}

/** Flags that change what the sign-in gets: with a chained --profile, its hops then are not cached. */
const SIGN_IN_FLAGS = {
  idpUrl: '--idp-url',
  roleArn: '--role-arn',
  duration: '--duration',
  policyArn: '--policy-arn',
  policyFile: '--policy-file',
};

/**
 * The profile's saml settings, when --profile names a saml profile (or a profile chained from
 * one: directChain.ts): flags still win.
 */
function samlProfile(context: CliContext): DirectProfile {
  const direct = directProfile(context, 'saml');
  if (direct.chain) return direct;
  return { values: direct.values?.flow() === 'saml' ? direct.values : undefined };
}

export async function runSaml(options: SamlOptions, context: CliContext): Promise<void> {
  const { env, logger } = context;
  const direct = samlProfile(context);
  const profile = direct.values;
  if (options.allRoles && options.roleArn)
    throw usageError('OPTION_CONFLICT', '--all-roles writes every role; leave out --role-arn.');
  if (options.allRoles && direct.chain)
    throw usageError(
      'OPTION_CONFLICT',
      `--all-roles writes one profile per role, and profile ${direct.chain.profiles[0]!.name} has hops after its role: leave out --all-roles, or name a profile without hops.`,
    );
  if (options.allRoles && ((options.output && options.output !== 'credentials-file') || options.format))
    throw usageError(
      'OPTION_CONFLICT',
      '--all-roles writes a renewing ~/.aws/config profile per role, or with --output credentials-file static keys in ~/.aws/credentials; leave out --format and other --output values.',
    );
  if (!options.allRoles && (options.prune || options.dryRun))
    throw usageError('OPTION_CONFLICT', `${options.prune ? '--prune' : '--dry-run'} goes with --all-roles.`);
  // the policy is read and checked before anyone signs in
  const policies = await directPolicies(direct, options, env);
  const settings = { ...resolveSamlSettings(options, profile), sessionPolicy: policies.flowCall };
  const { idpUrl, aliases, durationSeconds, sessionPolicy } = settings;
  const template = options.profileTemplate ?? DEFAULT_PROFILE_TEMPLATE;
  const terminal = hasTerminal();

  const source: AssertionSource = options.assertionFile
    ? assertionFileSource(options.assertionFile)
    : // an assertion of this IdP sign-in from minutes ago is reused (sharedAssertion.ts)
      sharedBrowserSource(
        { ...settings, idpUrl: idpUrl! },
        // run by a person: a window may open even when no terminal is attached
        { interactive: true, needsPerson: () => usageError('SAML_NEEDS_SIGN_IN', 'The IdP needs you to sign in.') },
        { env, logger, clock: systemClock, store: await openProfileStore(profile?.profile, env) },
      );
  const stsFor = stsForRole({ env, logger, regionFlag: context.region, profileRegion: profile?.string('region') });

  if (options.allRoles) {
    const { writeAllRoles } = await import('./allRoles.js');
    await writeAllRoles(
      { source, stsFor, aliases, durationSeconds, template, sessionPolicy, idpUrl, options, profile },
      context,
    );
    return;
  }
  const promptForRole = terminal ? (await import('../../../flows/saml/promptRole.js')).promptForRole : undefined;
  const prompt =
    promptForRole &&
    ((roles: readonly SamlRole[], aliases: ReadonlyMap<string, string>) =>
      promptForRole(roles, aliases, { noColor: context.noColor, env: context.env }));
  const { roleArn } = settings;
  const result = await loginWithSaml(settings, {
    source,
    stsFor,
    prompt,
    logger,
    clock: systemClock,
    prepare: () => stsFor.prepare(roleArn),
  });
  logger.notice(
    `Assumed ${result.role.roleArn}; the credentials expire at ${result.credentials.expiration.toISOString()}.`,
  );
  const credentials = await throughChain(
    direct,
    result.credentials,
    {
      // a role picked at sign-in (the profile names none) is not the profile's to cache
      overrides: [...givenFlags(options, SIGN_IN_FLAGS), ...(roleArn ? [] : ['a role picked at sign-in'])],
      lastHop: policies.lastHop,
    },
    context,
  );
  await deliver(
    credentials,
    {
      output: options.output,
      format: options.format,
      region: context.region ?? profile?.string('region'),
    },
    context,
  );
  if (result.capturedAt !== undefined) {
    logger.debug(
      `timing: captured POST -> credentials delivered in ${Math.round(performance.now() - result.capturedAt)} ms`,
    );
  }
  await result.closed;
}
