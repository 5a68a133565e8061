import { type ErrorOptions, type FedloginError, usageError } from '../core/errors.js';
import type { ProfileSettings } from './profileSettings.js';

/** "~/.aws/config [profile ci] fedlogin_role_arn: ..." — file, section, key and what is wrong. */
export function profileKeyError(
  profile: ProfileSettings,
  key: string,
  problem: string,
  options?: ErrorOptions,
): FedloginError {
  return usageError('PROFILE_INVALID', `${profile.file} [${profile.section}] ${key}: ${problem}`, options);
}
