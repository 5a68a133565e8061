import { performance } from 'node:perf_hooks';
import type { SessionPolicy } from '../../../aws/sessionPolicy.js';
import type { ProfileValues } from '../../../config/profileValues.js';
import { systemClock } from '../../../core/clock.js';
import { FedloginError, isFedloginError, usageError } from '../../../core/errors.js';
import { plural } from '../../../core/plural.js';
import { assertionFileSource } from '../../../flows/saml/assertionFile.js';
import { browserAssertionSource } from '../../../flows/saml/browserLogin.js';
import { exchangeAssertion, samlDuration } from '../../../flows/saml/exchange.js';
import { type AssertionSource, loginWithSaml, readAssertion } from '../../../flows/saml/login.js';
import type { SamlAssertionInfo } from '../../../flows/saml/parseAssertion.js';
import { DEFAULT_PROFILE_TEMPLATE, profileNameFor } from '../../../flows/saml/profileName.js';
import { resolveSamlSettings } from '../../../flows/saml/resolveSettings.js';
import type { SamlRole } from '../../../flows/saml/samlRole.js';
import { type StsForRole, stsForRole } from '../../../flows/saml/stsForRole.js';
import { sessionPolicyFor } from '../../../flows/sessionPolicy.js';
import type { CliContext } from '../../context.js';
import { deliver } from '../../deliver.js';
import { namedProfileValues } from '../../profileCredentials.js';
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
  timeout?: string;
  silentTimeout?: string;
  policyArn?: string[];
  policyFile?: string;
  output?: string;
  format?: string;
}

/** The profile's saml settings, when --profile names a saml profile: flags still win. */
function samlProfile(context: CliContext): ProfileValues | undefined {
  const values = namedProfileValues(context);
  return values?.flow() === 'saml' ? values : undefined;
}

export async function runSaml(options: SamlOptions, context: CliContext): Promise<void> {
  const { env, logger } = context;
  const profile = samlProfile(context);
  if (options.allRoles && options.roleArn)
    throw usageError('OPTION_CONFLICT', '--all-roles writes every role; leave out --role-arn.');
  if (options.allRoles && (options.output || options.format))
    throw usageError(
      'OPTION_CONFLICT',
      '--all-roles writes ~/.aws/credentials profiles; leave out --output and --format.',
    );
  // the policy is read and checked before anyone signs in
  const settings = {
    ...resolveSamlSettings(options, profile),
    sessionPolicy: await sessionPolicyFor(options, profile, env),
  };
  const { idpUrl, aliases, durationSeconds, sessionPolicy } = settings;
  const template = options.profileTemplate ?? DEFAULT_PROFILE_TEMPLATE;
  const terminal = hasTerminal();

  const source: AssertionSource = options.assertionFile
    ? assertionFileSource(options.assertionFile)
    : browserAssertionSource(
        { ...settings, idpUrl: idpUrl! },
        // run by a person: a window may open even when no terminal is attached
        { interactive: true, needsPerson: () => usageError('SAML_NEEDS_SIGN_IN', 'The IdP needs you to sign in.') },
        { env, logger },
      );
  const stsFor = stsForRole({ env, logger, regionFlag: context.region, profileRegion: profile?.string('region') });

  if (options.allRoles) {
    await writeAllRoles({ source, stsFor, aliases, durationSeconds, template, sessionPolicy }, context);
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
  await deliver(
    result.credentials,
    {
      output: options.output,
      format: options.format,
      region: context.region ?? profile?.string('region'),
    },
    context,
  );
  logger.notice(
    `Assumed ${result.role.roleArn}; the credentials expire at ${result.credentials.expiration.toISOString()}.`,
  );
  if (result.capturedAt !== undefined) {
    logger.debug(
      `timing: captured POST -> credentials delivered in ${Math.round(performance.now() - result.capturedAt)} ms`,
    );
  }
  await result.closed;
}

interface AllRolesInput {
  source: AssertionSource;
  stsFor: StsForRole;
  aliases: ReadonlyMap<string, string>;
  durationSeconds: number | undefined;
  template: string;
  sessionPolicy: SessionPolicy | undefined;
}

/** One sign-in, one ~/.aws/credentials profile per role; roles STS refuses are reported at the end. */
async function writeAllRoles(input: AllRolesInput, context: CliContext): Promise<void> {
  input.stsFor.prepare();
  const { samlResponse, info, capturedAt, closed } = await readAssertion(input.source, context.logger, systemClock);
  try {
    await writeProfiles(input, context, samlResponse, info, capturedAt);
  } finally {
    await closed;
  }
}

async function writeProfiles(
  input: AllRolesInput,
  context: CliContext,
  samlResponse: string,
  info: SamlAssertionInfo,
  capturedAt: number | undefined,
): Promise<void> {
  const { logger, env } = context;
  const names = info.roles.map((role) => profileNameFor(input.template, role, input.aliases));
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
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
    try {
      const sts = await input.stsFor(role);
      const credentials = await exchangeAssertion(
        sts,
        role,
        samlResponse,
        durationSeconds,
        logger,
        input.sessionPolicy,
      );
      await writeCredentialsProfile(path, names[i]!, credentials, { notice: (line) => logger.notice(line) });
      logger.notice(
        `Wrote [${names[i]}] for ${role.roleArn} to ${path} (expires ${credentials.expiration.toISOString()}).`,
      );
    } catch (error) {
      if (!isFedloginError(error)) throw error;
      logger.notice(`Skipped ${role.roleArn}: ${error.message}`);
      failures.push(error);
    }
  }
  if (capturedAt !== undefined)
    logger.debug(
      `timing: captured POST -> ${plural(info.roles.length, 'profile')} written in ${Math.round(performance.now() - capturedAt)} ms`,
    );
  if (failures.length > 0) {
    const first = failures[0]!;
    throw new FedloginError(
      first.code,
      `${failures.length} of ${plural(info.roles.length, 'role')} could not be assumed; the first: ${first.message}`,
      { kind: first.kind, hint: first.hint, cause: first },
    );
  }
}
