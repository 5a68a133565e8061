import type { Clock } from '../core/clock.js';
import type { Credentials } from '../core/credentials.js';
import type { Logger } from '../core/logger.js';

/** What a flow gets when it logs in on behalf of a profile. */
export interface ProviderContext {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  clock: Clock;
  /** --region, when the command line gave one */
  regionFlag?: string | undefined;
  /** whether a person can be asked (browser, prompt); false under credential-process without a terminal */
  interactive: boolean;
  /** --no-color: prompts without colour (NO_COLOR is read from env) */
  noColor?: boolean | undefined;
}

/**
 * One flow's way to produce credentials for a profile. The cache and the lock live around it
 * (aws-vault's shape: caching wraps a provider), never inside it.
 */
export interface ProfileProvider {
  /** fresh credentials for the profile; whether a person may be asked is context.interactive */
  login(context: ProviderContext): Promise<Credentials>;
}
