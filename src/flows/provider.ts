import type { Clock } from '../core/clock.js';
import type { Credentials } from '../core/credentials.js';
import type { Logger } from '../core/logger.js';
import type { ProfileValues } from '../config/profileValues.js';

/** What a flow gets when it logs in on behalf of a profile. */
export interface ProviderContext {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  clock: Clock;
  /** --region, when the command line gave one */
  regionFlag?: string | undefined;
  /** whether a person can be asked (browser, prompt); false under credential-process without a terminal */
  interactive: boolean;
}

/**
 * One flow's way to produce credentials for a profile. The cache and the lock live around it
 * (aws-vault's shape: caching wraps a provider), never inside it.
 */
export interface ProfileProvider {
  /** a full login may need a person; the flow may still renew silently (refresh token, SSO session) */
  readonly needsPerson: boolean;
  /** settings that identify the credentials beyond the profile's own keys (none so far) */
  login(context: ProviderContext): Promise<Credentials>;
}

export type ProviderFactory = (profile: ProfileValues) => ProfileProvider;
