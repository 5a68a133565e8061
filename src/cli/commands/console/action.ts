import { consoleSigninUrl } from '../../../aws/consoleFederation.js';
import { consoleDestination, federationBaseUrl } from '../../../aws/consoleUrls.js';
import { STS_SESSION_SECONDS } from '../../../aws/durationFallback.js';
import { httpRequest } from '../../../aws/network/httpRequest.js';
import { openInBrowser, openSecretUrl } from '../../../core/browser.js';
import { requireDuration } from '../../../core/duration.js';
import { unreachableError } from '../../../core/errors.js';
import type { CliContext } from '../../context.js';
import { profileCredentials } from '../../profileCredentials.js';

export interface ConsoleOptions {
  destination?: string;
  duration?: string;
  print?: boolean;
}

const DEFAULT_CONSOLE_SECONDS = 3600;

export async function runConsole(options: ConsoleOptions, context: CliContext): Promise<void> {
  const { env, logger } = context;
  const durationSeconds =
    options.duration === undefined
      ? DEFAULT_CONSOLE_SECONDS
      : requireDuration(options.duration, STS_SESSION_SECONDS, '--duration');
  const profile = profileCredentials(context);
  const destination = consoleDestination(profile.partition, options.destination, profile.region);
  const federationUrl = federationBaseUrl(profile.partition, env.FEDLOGIN_SIGNIN_ENDPOINT);
  const credentials = await profile.credentials();
  const url = await consoleSigninUrl(
    { credentials, federationUrl, destination, sessionDurationSeconds: durationSeconds, profile: profile.profile.name },
    { fetch: httpRequest, logger },
  );
  if (options.print) {
    context.stdout(`${url}\n`);
    return;
  }
  // The browser gets a one-shot loopback URL, never the link itself: argv is public on this machine.
  const redirect = await openSecretUrl(url, { open: (oneShot) => openInBrowser(oneShot, env) });
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
    `Opened the AWS console for profile ${profile.profile.name} in your browser (${new URL(destination).host}).`,
  );
}
