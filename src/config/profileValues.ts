import { type DurationRange, durationInRange, requireDuration } from '../core/duration.js';
import { type ErrorCodeOf, isFedloginError } from '../core/errors.js';
import { profileKeyError } from './profileErrors.js';
import type { ProfileSettings } from './profileSettings.js';

export const FLOW_NAMES = ['web-identity', 'saml', 'oidc', 'cognito', 'sso'] as const;
export type FlowName = (typeof FLOW_NAMES)[number];
export const STORE_CHOICES = ['auto', 'keychain', 'file'] as const;
export type StoreChoice = (typeof STORE_CHOICES)[number];

/**
 * Typed reads of a profile's fedlogin_* keys. Every failure names the file, the section, the key
 * and what is wrong, because that is what a person needs to fix it.
 */
export class ProfileValues {
  constructor(readonly profile: ProfileSettings) {}

  get name(): string {
    return this.profile.name;
  }

  string(key: string): string | undefined {
    const value = this.profile.values[key];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  choice<T extends string>(key: string, choices: readonly T[]): T | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    if ((choices as readonly string[]).includes(value)) return value as T;
    throw profileKeyError(this.profile, key, `"${value}" is not one of ${choices.join(', ')}.`);
  }

  boolean(key: string): boolean | undefined {
    const value = this.string(key)?.toLowerCase();
    if (value === undefined) return undefined;
    if (['true', 'yes', '1', 'on'].includes(value)) return true;
    if (['false', 'no', '0', 'off'].includes(value)) return false;
    throw profileKeyError(this.profile, key, `"${value}" is not true or false.`);
  }

  /** a length of time in seconds, in the one grammar of src/core/duration.ts (900, 15m, 1h30m), within `range` */
  seconds(key: string, range: DurationRange): number | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    const result = durationInRange(value, range);
    if ('seconds' in result) return result.seconds;
    throw profileKeyError(this.profile, key, `${result.problem}.`);
  }

  /** comma- or space-separated */
  list(key: string): string[] {
    return (this.string(key) ?? '').split(/[\s,]+/).filter(Boolean);
  }

  /**
   * fedlogin_flow; without it, a profile the AWS CLI signs in through IAM Identity Center
   * (sso_account_id and sso_role_name, with sso_session or a legacy sso_start_url) is the sso flow.
   */
  flow(): FlowName | undefined {
    const flow = this.choice('fedlogin_flow', FLOW_NAMES);
    if (flow) return flow;
    const sso =
      this.string('sso_account_id') &&
      this.string('sso_role_name') &&
      (this.string('sso_session') || this.string('sso_start_url'));
    return sso ? 'sso' : undefined;
  }

  /** Runs a parser that throws FedloginErrors and re-labels them with the file, section and key. */
  parsed<T>(key: string, parse: (value: string) => T): T | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    try {
      return parse(value);
    } catch (error) {
      if (isFedloginError(error)) throw profileKeyError(this.profile, key, error.message, { hint: error.hint });
      throw error;
    }
  }
}

/**
 * A length of time from its flag when the flag was given, else from the profile key, else
 * undefined; one grammar for both, and errors naming the flag, or the file, section and key.
 */
export function durationSetting(
  flag: { value: string | undefined; name: string; code?: ErrorCodeOf<'usage'> },
  profile: ProfileValues | undefined,
  key: string,
  range: DurationRange,
): number | undefined {
  return flag.value !== undefined
    ? requireDuration(flag.value, range, flag.name, flag.code)
    : profile?.seconds(key, range);
}
