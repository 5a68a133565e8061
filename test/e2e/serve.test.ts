import { describe, expect, it } from 'vitest';
import { spawnCli } from '../support/cli/spawnCli.js';
import { componentPath, describeWith } from '../support/harness/component.js';
import { runProcess } from '../support/harness/runProcess.js';
import { ageCachedCredentials, PROFILE, webIdentityProfileForSuite } from './exec.support.js';

describe('fedlogin serve', () => {
  const setup = webIdentityProfileForSuite({ durationSeconds: 900 });

  it('prints the four export lines, serves refreshing credentials, warns on stderr and stops on SIGTERM', async () => {
    const cli = spawnCli(['serve', '--profile', PROFILE], { home: setup.home.home, env: setup.env, stdin: 'pipe' });
    try {
      const match = await cli.waitForStdout(
        /^export AWS_CONTAINER_CREDENTIALS_FULL_URI='(http:\/\/127\.0\.0\.1:\d+\/credentials)'\nexport AWS_CONTAINER_AUTHORIZATION_TOKEN='([A-Za-z0-9_-]{43,})'\nexport AWS_REGION='us-east-1'\nexport AWS_DEFAULT_REGION='us-east-1'\n$/,
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
      await cli.waitForStdout(
        /^AWS_CONTAINER_CREDENTIALS_FULL_URI=.*\nAWS_CONTAINER_AUTHORIZATION_TOKEN=.*\nAWS_REGION="us-east-1"\nAWS_DEFAULT_REGION="us-east-1"\n$/,
      );
      cli.signal('SIGINT');
      expect(await cli.exited()).toEqual({ code: 0, signal: null });
    } finally {
      cli.kill();
    }
  });
});

describeWith(['aws-cli-v2'], 'fedlogin serve and the AWS CLI in a second shell', () => {
  const setup = webIdentityProfileForSuite({ region: 'eu-west-2' });

  it("exports the profile's region with the endpoint: the AWS CLI needs no region of its own", async () => {
    const cli = spawnCli(['serve', '--profile', PROFILE], { home: setup.home.home, env: setup.env, stdin: 'pipe' });
    try {
      const [exports] = await cli.waitForStdout(/^(export .*\n){4}$/);
      expect(exports).toContain("export AWS_REGION='eu-west-2'\nexport AWS_DEFAULT_REGION='eu-west-2'\n");
      // the second terminal: a shell with no AWS settings but the HOME (whose config has no default
      // region); the exports come in the environment, never on a command line
      const shell = (script: string) =>
        runProcess('sh', ['-c', script, 'sh', componentPath('aws-cli-v2'), setup.sts.url], {
          env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: setup.home.home, EXPORTS: exports },
        });
      const without = await shell('"$1" sts get-caller-identity --endpoint-url "$2" --output json');
      expect(without.stderr).toContain('You must specify a region');

      const withExports = await shell(
        'eval "$EXPORTS"; "$1" sts get-caller-identity --endpoint-url "$2" --output json',
      );
      expect(withExports.code, withExports.stderr).toBe(0);
      expect(JSON.parse(withExports.stdout).Arn).toMatch(/^arn:aws:sts::123456789012:assumed-role\/dev\//);
      const call = setup.sts.requests.filter((r) => r.action === 'GetCallerIdentity').at(-1);
      expect(call?.notes.region).toBe('eu-west-2');

      cli.signal('SIGTERM');
      expect(await cli.exited()).toEqual({ code: 0, signal: null });
    } finally {
      cli.kill();
    }
  });
});
