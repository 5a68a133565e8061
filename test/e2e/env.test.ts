import { describe, expect, it } from 'vitest';
import { FEDLOGIN_BIN, hermeticEnv, runCli } from '../support/cli/runCli.js';
import { runProcess } from '../support/harness/runProcess.js';
import { ageCachedCredentials, PROFILE, webIdentityProfileForSuite } from './exec.support.js';

/** Runs a sh script in the hermetic environment of the profile; bounded. */
const sh = (script: string, env: Record<string, string>) =>
  runProcess('sh', ['-c', script], { env, timeoutMs: 30_000 });

describe('fedlogin env', () => {
  const setup = webIdentityProfileForSuite({ durationSeconds: 900 });

  it('eval "$(fedlogin env)" in sh sets the credentials and the region', async () => {
    const env = { ...hermeticEnv(setup.home.home, setup.env), FEDLOGIN: `${process.execPath} ${FEDLOGIN_BIN}` };
    const result = await sh(
      `eval "$($FEDLOGIN env --profile ${PROFILE})" && printf '%s\\n' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN" "$AWS_CREDENTIAL_EXPIRATION" "$AWS_REGION"`,
      env,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const issued = setup.sts.issued[0]!;
    expect(result.stdout.split('\n').slice(0, 5)).toEqual([
      issued.accessKeyId,
      issued.secretAccessKey,
      issued.sessionToken,
      `${issued.expiration.toISOString().slice(0, 19)}Z`,
      'us-east-1',
    ]);
  });

  it('serves later calls from the cache, and refreshes inside the refresh window', async () => {
    const before = setup.sts.count('AssumeRoleWithWebIdentity');
    const cached = await runCli(['env', '--profile', PROFILE, '--format', 'json'], { env: setup.env });
    expect(cached.code).toBe(0);
    expect(setup.sts.count('AssumeRoleWithWebIdentity')).toBe(before);
    const oldKey = JSON.parse(cached.stdout).AWS_ACCESS_KEY_ID;

    expect(await ageCachedCredentials(setup)).toBe(oldKey);
    const refreshed = await runCli(['env', '--profile', PROFILE, '--format', 'json'], { env: setup.env });
    expect(refreshed.code).toBe(0);
    expect(setup.sts.count('AssumeRoleWithWebIdentity')).toBe(before + 1);
    expect(JSON.parse(refreshed.stdout)).toMatchObject({
      AWS_ACCESS_KEY_ID: setup.sts.issued.at(-1)!.accessKeyId,
      AWS_REGION: 'us-east-1',
    });
    expect(JSON.parse(refreshed.stdout).AWS_ACCESS_KEY_ID).not.toBe(oldKey);
  });

  it('writes the other formats on stdout only', async () => {
    const fish = await runCli(['env', '--profile', PROFILE, '--format', 'fish'], { env: setup.env });
    expect(fish.code).toBe(0);
    expect(fish.stderr).toBe('');
    expect(fish.stdout).toMatch(/^set -gx AWS_ACCESS_KEY_ID 'ASIA[A-Z0-9]{16}'\n/);
  });

  it('refuses an unknown format with exit 2 before logging in', async () => {
    const before = setup.sts.count('AssumeRoleWithWebIdentity');
    const result = await runCli(['env', '--profile', PROFILE, '--format', 'csh'], { env: setup.env });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Unknown --format value "csh"');
    expect(setup.sts.count('AssumeRoleWithWebIdentity')).toBe(before);
  });

  it('names the missing profile', async () => {
    const result = await runCli(['env', '--profile', 'nope'], { env: setup.env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No profile "nope"');
  });
});
