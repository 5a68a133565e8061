import { systemClock } from '../../../core/clock.js';
import { usageError } from '../../../core/errors.js';
import { openProfileStore } from '../../../flows/cachedLogin.js';
import { loginWithOidc } from '../../../flows/oidc/login.js';
import { nodeOidcDeps } from '../../../flows/oidc/nodeOidcDeps.js';
import { resolveOidcSettings } from '../../../flows/oidc/resolveSettings.js';
import { sessionPolicyFor } from '../../../flows/sessionPolicy.js';
import { configFilePath } from '../../../store/awsPaths.js';
import type { CliContext } from '../../context.js';
import { deliver } from '../../deliver.js';
import { namedProfileValues } from '../../profileCredentials.js';
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
}

/**
 * `fedlogin oidc`: always a fresh sign-in (this is the command a person runs to sign in); the
 * refresh token it receives is saved so that profiles with the same issuer, client and scope renew
 * silently afterwards. With --profile, the profile's fedlogin_* keys fill what the flags leave out.
 */
export async function runOidc(options: OidcOptions, context: CliContext): Promise<void> {
  const { env, logger } = context;
  const started = systemClock.now();
  const profile = namedProfileValues(context);
  const profileSettings = profile?.profile;
  if (context.profile && !profileSettings && !options.issuer) {
    throw usageError('PROFILE_NOT_FOUND', `No profile "${context.profile}" in ${configFilePath(env)}.`, {
      hint: 'Pass --issuer, --client-id and --role-arn, or create the profile.',
    });
  }
  const resolved = resolveOidcSettings(
    {
      issuer: options.issuer,
      clientId: options.clientId,
      roleArn: options.roleArn,
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
  const settings = { ...resolved, sessionPolicy: await sessionPolicyFor(options, profile, env) };
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
  const credentials = await loginWithOidc(settings, deps);
  await deliver(credentials, { output: options.output, format: options.format, region: deps.region }, context);
  logger.debug(`oidc timing: credentials printed ${systemClock.now() - started} ms after start`);
}
