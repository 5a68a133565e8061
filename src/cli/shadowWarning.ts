import { configFilePath, credentialsFilePath, findShadowingStaticKeys, readAwsFile } from '../store/awsFiles.js';
import type { CliContext } from './context.js';

/**
 * The SDKs read ~/.aws/credentials before credential_process, so long-term keys there under the
 * same profile name silently win. Say so whenever fedlogin touches profiles.
 */
export function warnShadowedProfiles(context: CliContext): string[] {
  try {
    const shadowed = findShadowingStaticKeys(
      readAwsFile(configFilePath(context.env)),
      readAwsFile(credentialsFilePath(context.env)),
    );
    for (const name of shadowed) {
      context.logger.notice(
        `warning: [${name}] in ${credentialsFilePath(context.env)} holds long-term keys, which the AWS tools use instead of credential_process for profile ${name}. Remove that section or rename the profile.`,
      );
    }
    return shadowed;
  } catch {
    return []; // an unreadable file is reported by the command that needs it
  }
}
