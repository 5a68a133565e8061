import { usageError, type FedloginError } from '../core/errors.js';
import type { ProfileSettings } from './profileSettings.js';

/** "~/.aws/config [profile ci] fedlogin_role_arn: ..." — file, section, key and what is wrong. */
export function profileKeyError(profile: ProfileSettings, key: string, problem: string, hint?: string): FedloginError {
  return usageError('PROFILE_INVALID', `${profile.file} [${profile.section}] ${key}: ${problem}`, hint);
}
