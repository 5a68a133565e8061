import { existsSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FEDLOGIN_BIN, hermeticEnv, makeTempHome, REPO_ROOT, runCli } from '../support/cli/runCli.js';

// bin/fedlogin.js is the lead's; these tests run a fixture in its place.
const entry = fileURLToPath(new URL('./fixtures/printEnv.mjs', import.meta.url));

interface Report {
  args: string[];
  env: Record<string, string>;
  cwd: string;
  tty: string;
  stdin: string;
  homeExists: boolean;
}
const report = (stdout: string) => JSON.parse(stdout) as Report;

describe('runCli', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('resolves the CLI from the repository, not a fixed path', async () => {
    expect(FEDLOGIN_BIN).toBe(path.join(REPO_ROOT, 'bin', 'fedlogin.js'));
    expect(existsSync(path.join(REPO_ROOT, 'package.json'))).toBe(true);
    expect(JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')).name).toBe('fedlogin');
  });

  it('gives the CLI a fresh HOME with the AWS files and XDG dirs inside, removed afterwards', async () => {
    const result = await runCli(['status', '--x'], { entry });
    expect(result).toMatchObject({ code: 0, signal: null, timedOut: false, stderr: '' });
    const seen = report(result.stdout);
    const home = seen.env.HOME!;
    expect(seen.args).toEqual(['status', '--x']);
    expect(seen.homeExists).toBe(true);
    expect(home.startsWith(os.tmpdir())).toBe(true);
    expect(home).not.toBe(os.homedir());
    expect(seen.env).toMatchObject({
      AWS_CONFIG_FILE: path.join(home, '.aws', 'config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, '.aws', 'credentials'),
      XDG_CACHE_HOME: path.join(home, '.cache'),
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_DATA_HOME: path.join(home, '.local', 'share'),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_EC2_METADATA_DISABLED: 'true',
      NO_COLOR: '1',
      PATH: process.env.PATH,
    });
    expect(seen.cwd).toBe(REPO_ROOT.replace(/\/$/, ''));
    expect(existsSync(home)).toBe(false);
  });

  it('leaks no AWS_*, CI or other variables from the parent', async () => {
    const leaks = {
      AWS_ACCESS_KEY_ID: 'AKIAPARENTEXAMPLE000',
      AWS_SECRET_ACCESS_KEY: 'parent-secret',
      AWS_PROFILE: 'parent',
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:1',
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:1/x',
      GITLAB_CI: 'true',
      CIRCLECI: 'true',
      BUILDKITE: 'true',
      BITBUCKET_BUILD_NUMBER: '1',
      TF_BUILD: 'True',
      FEDLOGIN_PROFILE: 'parent',
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent',
      NODE_OPTIONS: '--inspect',
    };
    for (const [name, value] of Object.entries(leaks)) vi.stubEnv(name, value);
    const seen = report((await runCli([], { entry })).stdout);
    for (const name of Object.keys(leaks)) expect(seen.env, name).not.toHaveProperty(name);
    expect(
      Object.keys(seen.env)
        .filter((k) => k.startsWith('AWS_'))
        .sort(),
    ).toEqual([
      'AWS_CONFIG_FILE',
      'AWS_EC2_METADATA_DISABLED',
      'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
      'AWS_SHARED_CREDENTIALS_FILE',
    ]);
  });

  it('passes what the test gives, and removes variables set to undefined', async () => {
    const seen = report(
      (await runCli([], { entry, env: { CI: 'true', AWS_REGION: 'us-west-2', NO_COLOR: undefined } })).stdout,
    );
    expect(seen.env.CI).toBe('true');
    expect(seen.env.AWS_REGION).toBe('us-west-2');
    expect(seen.env).not.toHaveProperty('NO_COLOR');
  });

  it('uses a given HOME (from makeTempHome) and keeps it', async () => {
    const temp = await makeTempHome();
    try {
      expect(statSync(path.join(temp.home, '.aws')).mode & 0o777).toBe(0o700);
      await writeFile(temp.awsConfigFile, '[profile dev]\nregion = us-east-1\n');
      const seen = report((await runCli([], { entry, env: temp.env })).stdout);
      expect(seen.env.HOME).toBe(temp.home);
      expect(seen.env.AWS_CONFIG_FILE).toBe(temp.awsConfigFile);
      expect(existsSync(temp.awsConfigFile)).toBe(true);
    } finally {
      await temp.cleanup();
    }
    expect(existsSync(temp.home)).toBe(false);
  });

  it('has no controlling terminal, and stdin is empty unless input is given', async () => {
    const none = report((await runCli([], { entry })).stdout);
    expect(none.tty).toMatch(/^(ENXIO|ENOENT|EACCES)$/);
    expect(none.stdin).toBe('');
    const fed = report((await runCli([], { entry, input: 'assertion-from-stdin\n' })).stdout);
    expect(fed.stdin).toBe('assertion-from-stdin\n');
  });

  it('reports the exit code and stderr', async () => {
    const result = await runCli(['--exit', '3'], { entry });
    expect(result.code).toBe(3);
    expect(result.stderr).toBe('exiting on request\n');
  });

  it('kills a CLI that runs past the timeout', async () => {
    const result = await runCli(['--hang'], { entry, timeoutMs: 300 });
    expect(result).toMatchObject({ timedOut: true, signal: 'SIGKILL', code: null });
  });

  it('hermeticEnv is a pure function of HOME, overrides and the parent', () => {
    const env = hermeticEnv('/h', { X: '1' }, { PATH: '/bin', AWS_PROFILE: 'p', LANG: 'C.UTF-8', SECRET: 's' });
    expect(env).toEqual({
      PATH: '/bin',
      LANG: 'C.UTF-8',
      HOME: '/h',
      AWS_CONFIG_FILE: '/h/.aws/config',
      AWS_SHARED_CREDENTIALS_FILE: '/h/.aws/credentials',
      XDG_CACHE_HOME: '/h/.cache',
      XDG_CONFIG_HOME: '/h/.config',
      XDG_DATA_HOME: '/h/.local/share',
      XDG_STATE_HOME: '/h/.local/state',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_EC2_METADATA_DISABLED: 'true',
      NO_COLOR: '1',
      X: '1',
    });
  });
});
