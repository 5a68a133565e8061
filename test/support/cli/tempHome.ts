import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * A fresh, empty HOME for one test, with the AWS files and XDG directories pointing inside it, so
 * the CLI under test can never read or write the developer's real ~/.aws or cache.
 */
export interface TempHome {
  home: string;
  /** HOME, AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, XDG_CACHE_HOME, XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_STATE_HOME */
  env: Record<string, string>;
  /** home/.aws/config */
  awsConfigFile: string;
  /** home/.aws/credentials */
  awsCredentialsFile: string;
  cleanup(): Promise<void>;
}

export async function makeTempHome(): Promise<TempHome> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'fedlogin-home-'));
  return { home, ...(await prepareHome(home)), cleanup: () => rm(home, { recursive: true, force: true }) };
}

/** The environment for an existing HOME directory; creates its .aws and XDG directories. */
export async function prepareHome(
  home: string,
): Promise<Pick<TempHome, 'env' | 'awsConfigFile' | 'awsCredentialsFile'>> {
  const env = homeEnv(home);
  for (const dir of [
    path.dirname(env.AWS_CONFIG_FILE),
    env.XDG_CACHE_HOME,
    env.XDG_CONFIG_HOME,
    env.XDG_DATA_HOME,
    env.XDG_STATE_HOME,
  ]) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  }
  return { env, awsConfigFile: env.AWS_CONFIG_FILE, awsCredentialsFile: env.AWS_SHARED_CREDENTIALS_FILE };
}

/** Pure: the variables that point the AWS tools and XDG users inside `home`. */
export function homeEnv(home: string) {
  return {
    HOME: home,
    AWS_CONFIG_FILE: path.join(home, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, '.aws', 'credentials'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
  };
}
