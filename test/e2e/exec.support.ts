import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadProfile } from '../../src/config/profileSettings.js';
import { profileCacheKey } from '../../src/config/profileCacheKey.js';
import { readCachedCredentials, writeCachedCredentials } from '../../src/store/credentialCache.js';
import { createFileStore } from '../../src/store/fileStore.js';
import { FEDLOGIN_BIN, REPO_ROOT, hermeticEnv, makeTempHome, type TempHome } from '../support/cli/runCli.js';
import { startStsEndpoint, type StsEndpoint } from '../support/aws/stsEndpoint.js';
import { startTokenIssuer, type TokenIssuer } from '../support/idp/tokenIssuer.js';
import { leakScan } from '../support/harness/leakScan.js';

/**
 * Shared by the env, exec, serve and console e2e tests: a web-identity profile `dev` in a fresh
 * HOME, whose flow exchanges a token from a local issuer at the local STS double, with the file
 * store. Nothing here talks beyond 127.0.0.1.
 */

export const ROLE_ARN = 'arn:aws:iam::123456789012:role/dev';
export const PROFILE = 'dev';

export interface WebIdentityProfile {
  home: TempHome;
  sts: StsEndpoint;
  issuer: TokenIssuer;
  /** overrides for runCli (HOME, FEDLOGIN_STORE=file, AWS_ENDPOINT_URL_STS) */
  env: Record<string, string>;
  /** the full environment the CLI sees (hermeticEnv over `env`) */
  fullEnv: Record<string, string>;
  close(): Promise<void>;
}

export interface WebIdentityProfileOptions {
  /** fedlogin_duration; the refresh window is at most half of it */
  durationSeconds?: number;
  /** more lines for [profile dev] */
  extraConfig?: string;
  roleArn?: string;
}

export async function startWebIdentityProfile(opts: WebIdentityProfileOptions = {}): Promise<WebIdentityProfile> {
  const roleArn = opts.roleArn ?? ROLE_ARN;
  const home = await makeTempHome();
  const issuer = await startTokenIssuer();
  const sts = await startStsEndpoint({
    roles: { [roleArn]: { trust: { issuer: issuer.url, audiences: ['sts.amazonaws.com'] }, maxSessionDuration: 43_200 } },
  });
  const tokenFile = path.join(home.home, 'token');
  await writeFile(tokenFile, await issuer.sign({ sub: 'repo:example/app:ref:refs/heads/main', aud: 'sts.amazonaws.com' }, { expiresInSeconds: 3600 }), { mode: 0o600 });
  const lines = [
    `[profile ${PROFILE}]`,
    'fedlogin_flow = web-identity',
    `fedlogin_role_arn = ${roleArn}`,
    `fedlogin_token_file = ${tokenFile}`,
    'region = us-east-1',
    ...(opts.durationSeconds ? [`fedlogin_duration = ${opts.durationSeconds}`] : []),
    ...(opts.extraConfig ? [opts.extraConfig] : []),
  ];
  await writeFile(home.awsConfigFile, `${lines.join('\n')}\n`);
  const env = { ...home.env, FEDLOGIN_STORE: 'file', AWS_ENDPOINT_URL_STS: sts.url };
  return {
    home,
    sts,
    issuer,
    env,
    fullEnv: hermeticEnv(home.home, env),
    async close() {
      await Promise.allSettled([sts.close(), issuer.close()]);
      await home.cleanup();
    },
  };
}

/**
 * Makes the cached entry of the profile look close to expiry (through the store API, as another
 * fedlogin process would see it), so the next lookup refreshes through the flow. Returns the
 * access key id of the entry it aged.
 */
export async function ageCachedCredentials(setup: WebIdentityProfile, secondsLeft = 60): Promise<string> {
  const profile = loadProfile(setup.fullEnv, PROFILE);
  if (!profile) throw new Error('profile dev is missing');
  const key = profileCacheKey(profile, setup.fullEnv);
  const store = createFileStore({ env: setup.fullEnv });
  const cached = await readCachedCredentials(store, key);
  if (!cached) throw new Error('no cached credentials for profile dev');
  // as if an hour-long session had been running for (3600 - secondsLeft) s
  const expiration = new Date(Date.now() + secondsLeft * 1000);
  await writeCachedCredentials(store, key, { ...cached, expiration, obtainedAt: new Date(expiration.getTime() - 3600_000) });
  return cached.accessKeyId;
}

/** A long-running CLI process (exec, serve), with its output collected and bounded waits. */
export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** resolves when stdout matches, rejects after timeoutMs (or when the process ends first) */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** the exit code (or null) and signal, bounded; kills the process group when it does not end */
  exited(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(): void;
}

export function startCli(args: string[], env: Record<string, string | undefined>, home: string): RunningCli {
  const childEnv = hermeticEnv(home, env);
  const scan = leakScan.startRun({ argv: [FEDLOGIN_BIN, ...args], home, env: childEnv });
  const child = spawn(process.execPath, [FEDLOGIN_BIN, ...args], {
    cwd: REPO_ROOT,
    env: childEnv,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((l) => l());
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    notify();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    notify();
  });
  let ended = false;
  scan.watch({ stdout: () => out, stderr: () => err });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => {
      ended = true;
      notify();
      void scan.finish({ code, stdout: out, stderr: err }).finally(() => resolve({ code, signal }));
    });
  });
  const killGroup = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // gone already
    }
  };
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitForStdout(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = out.match(pattern);
          if (match) return done(() => resolve(match));
          if (ended) return done(() => reject(new Error(`process ended before stdout matched ${pattern}\nstdout: ${out}\nstderr: ${err}`)));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`stdout did not match ${pattern} in ${timeoutMs} ms\nstdout: ${out}\nstderr: ${err}`))), timeoutMs);
        const done = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    async exited(timeoutMs = 30_000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          killGroup();
          reject(new Error(`process did not end in ${timeoutMs} ms\nstdout: ${out}\nstderr: ${err}`));
        }, timeoutMs);
      });
      try {
        return await Promise.race([exit, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    kill: killGroup,
  };
}
