import type { CliContext } from '../../context.js';
import { credentialProcess } from '../../credentialProcess.js';

/**
 * `fedlogin credential-process` when bin/fedlogin.js's fast path hands it to commander (global
 * options before the command, --help): the same work, with commander's global options. It writes
 * the credentials to the process's stdout itself (src/cli/credentialProcess.ts).
 */
export async function runCredentialProcess(_options: unknown, context: CliContext): Promise<number> {
  return credentialProcess({ profile: context.profile, region: context.region, debug: context.debug }, context.env);
}
