/**
 * Where the AWS files live, the way the AWS CLI and SDKs decide it. Only node built-ins: this is
 * imported by credential-process's fast path.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** $HOME as the SDKs read it (USERPROFILE on Windows), else the OS's idea of it. */
export function homeDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOME || env.USERPROFILE || homedir();
}

/** `~` and `~/...` (and `~\...`) expanded against homeDir; anything else unchanged. */
export function expandHome(path: string, env: NodeJS.ProcessEnv = process.env): string {
  if (path === '~') return homeDir(env);
  if (path.startsWith('~/') || path.startsWith('~\\')) return join(homeDir(env), path.slice(2));
  return path;
}

/** $AWS_CONFIG_FILE, else ~/.aws/config. */
export function configFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_CONFIG_FILE ? expandHome(env.AWS_CONFIG_FILE, env) : join(homeDir(env), '.aws', 'config');
}

/** $AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials. */
export function credentialsFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_SHARED_CREDENTIALS_FILE
    ? expandHome(env.AWS_SHARED_CREDENTIALS_FILE, env)
    : join(homeDir(env), '.aws', 'credentials');
}
