import { describe, expect, it } from 'vitest';
import { spawnCli } from '../support/cli/spawnCli.js';
import { ageCachedCredentials, PROFILE, webIdentityProfileForSuite } from './exec.support.js';

describe('fedlogin serve', () => {
  const setup = webIdentityProfileForSuite({ durationSeconds: 900 });

  it('prints the two export lines, serves refreshing credentials, warns on stderr and stops on SIGTERM', async () => {
    const cli = spawnCli(['serve', '--profile', PROFILE], { home: setup.home.home, env: setup.env, stdin: 'pipe' });
    try {
      const match = await cli.waitForStdout(
        /^export AWS_CONTAINER_CREDENTIALS_FULL_URI='(http:\/\/127\.0\.0\.1:\d+\/credentials)'\nexport AWS_CONTAINER_AUTHORIZATION_TOKEN='([A-Za-z0-9_-]{43,})'\n$/,
      );
      const [, url, token] = match as unknown as [string, string, string];
      const ask = async (authorization?: string) =>
        fetch(url, { headers: authorization ? { authorization } : {}, signal: AbortSignal.timeout(10_000) });

      const first = await ask(token);
      expect(first.status).toBe(200);
      const body = (await first.json()) as Record<string, string>;
      const issued = setup.sts.issued[0]!;
      expect(body).toEqual({
        AccessKeyId: issued.accessKeyId,
        SecretAccessKey: issued.secretAccessKey,
        Token: issued.sessionToken,
        Expiration: `${issued.expiration.toISOString().slice(0, 19)}Z`,
        AccountId: '123456789012',
      });
      expect((await ask()).status).toBe(403);
      expect((await ask('wrong')).status).toBe(403);

      await ageCachedCredentials(setup);
      const second = (await (await ask(token)).json()) as Record<string, string>;
      expect(second.AccessKeyId).toBe(setup.sts.issued[1]!.accessKeyId);
      expect(second.AccessKeyId).not.toBe(issued.accessKeyId);

      expect(cli.stderr()).toContain('is a secret');
      expect(cli.stderr()).not.toContain(token);
      for (const secret of setup.sts.secrets()) expect(cli.stderr()).not.toContain(secret);

      cli.signal('SIGTERM');
      expect(await cli.exited()).toEqual({ code: 0, signal: null });
      await expect(ask(token)).rejects.toThrow();
    } finally {
      cli.kill();
    }
  });

  it('stops on SIGINT too, with --format dotenv', async () => {
    const cli = spawnCli(['serve', '--profile', PROFILE, '--format', 'dotenv'], {
      home: setup.home.home,
      env: setup.env,
      stdin: 'pipe',
    });
    try {
      await cli.waitForStdout(/^AWS_CONTAINER_CREDENTIALS_FULL_URI=.*\nAWS_CONTAINER_AUTHORIZATION_TOKEN=.*\n$/);
      cli.signal('SIGINT');
      expect(await cli.exited()).toEqual({ code: 0, signal: null });
    } finally {
      cli.kill();
    }
  });
});
