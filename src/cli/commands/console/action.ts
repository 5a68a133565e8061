import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { consoleSigninUrl } from '../../../aws/consoleFederation.js';
import { consoleDestination, federationBaseUrl, signOutFirstUrl } from '../../../aws/consoleUrls.js';
import { STS_SESSION_SECONDS } from '../../../aws/durationFallback.js';
import { httpRequest } from '../../../aws/network/httpRequest.js';
import { openSecretUrl } from '../../../core/browser.js';
import { type BrowserChoice, browserOpener } from '../../../core/browserLaunch.js';
import { requireDuration } from '../../../core/duration.js';
import { unreachableError, usageError } from '../../../core/errors.js';
import { dataDir } from '../../../flows/saml/browserProfileDir.js';
import { ensurePrivateDir } from '../../../store/privateDir.js';
import type { BrowserFlags } from '../../browserOptions.js';
import type { CliContext } from '../../context.js';
import { profileCredentials } from '../../profileCredentials.js';

export interface ConsoleOptions extends BrowserFlags {
  destination?: string;
  duration?: string;
  print?: boolean;
  isolated?: boolean;
}

const DEFAULT_CONSOLE_SECONDS = 3600;

/** Firefox's first start in a new profile, quiet: no welcome pages, no default-browser question. */
const FIREFOX_QUIET_PREFS = [
  'user_pref("browser.shell.checkDefaultBrowser", false);',
  'user_pref("browser.aboutwelcome.enabled", false);',
  'user_pref("browser.startup.homepage_override.mstone", "ignore");',
  'user_pref("startup.homepage_welcome_url", "");',
  'user_pref("datareporting.policy.dataSubmissionPolicyBypassNotification", true);',
  'user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);',
  '',
].join('\n');

export async function runConsole(options: ConsoleOptions, context: CliContext): Promise<void> {
  const { env, logger } = context;
  const durationSeconds =
    options.duration === undefined
      ? DEFAULT_CONSOLE_SECONDS
      : requireDuration(options.duration, STS_SESSION_SECONDS, '--duration');
  if (options.print && (options.browser || options.browserProfile || options.isolated)) {
    throw usageError(
      'OPTION_CONFLICT',
      '--print prints the link; --browser, --browser-profile and --isolated open it.',
    );
  }
  const profile = profileCredentials(context);
  const choice: BrowserChoice = {
    browser: options.browser,
    profile: options.browserProfile,
    isolated: options.isolated ? { root: join(dataDir(env), 'console'), name: profile.profile.name } : undefined,
  };
  // a bad choice fails here, before AWS is asked for anything
  const opener = options.print ? undefined : browserOpener(choice, { env });
  const isolatedDir = opener?.command?.isolatedDir;
  if (isolatedDir) {
    ensurePrivateDir(isolatedDir);
    const prefs = join(isolatedDir, 'user.js');
    if (opener?.command?.browser.family === 'firefox' && !existsSync(prefs))
      writeFileSync(prefs, FIREFOX_QUIET_PREFS, { mode: 0o600 });
  }
  const destination = consoleDestination(profile.partition, options.destination, profile.region);
  const federationUrl = federationBaseUrl(profile.partition, env.FEDLOGIN_SIGNIN_ENDPOINT);
  const credentials = await profile.credentials();
  const url = await consoleSigninUrl(
    { credentials, federationUrl, destination, sessionDurationSeconds: durationSeconds, profile: profile.profile.name },
    { fetch: httpRequest, logger },
  );
  if (!opener) {
    context.stdout(`${url}\n`);
    return;
  }
  // Sign out of whatever console session the browser holds first, so switching accounts just works.
  const signOutFirst = signOutFirstUrl(url, profile.partition, Boolean(env.FEDLOGIN_SIGNIN_ENDPOINT?.trim()));
  if (signOutFirst) logger.addSecret(signOutFirst);
  else logger.debug(`no sign-out first in partition ${profile.partition.name}: opening the sign-in link as it is`);
  logger.debug(`browser: ${opener.description}`);
  // The browser gets a one-shot loopback URL, never the link itself: argv is public on this machine.
  const redirect = await openSecretUrl(signOutFirst ?? url, { open: opener.open });
  const printHint = `Run fedlogin console --profile ${profile.profile.name} --print and open the link yourself.`;
  if (!redirect)
    throw unreachableError('BROWSER_UNAVAILABLE', 'Could not open a browser for the console sign-in link.', {
      hint: printHint,
    });
  logger.debug(`waiting for the browser to follow the one-shot sign-in link on ${new URL(redirect.url).host}`);
  if ((await redirect.outcome) !== 'followed') {
    throw unreachableError(
      'BROWSER_DID_NOT_FOLLOW',
      'The browser did not open the console sign-in link within 2 minutes, so fedlogin closed it.',
      { hint: printHint },
    );
  }
  logger.notice(
    `Opened the AWS console for profile ${profile.profile.name} in your browser (${new URL(destination).host})${isolatedDir ? `, in its own browser profile ${isolatedDir}` : ''}.`,
  );
}
