import { createServer, type Server } from 'node:net';
import { expect, it } from 'vitest';
import { spawnCli } from '../support/cli/spawnCli.js';
import { itWith } from '../support/harness/component.js';
import { runProcess } from '../support/harness/runProcess.js';
import { PROFILE, webIdentityProfileForSuite } from './exec.support.js';

/**
 * Issue 14, item 11: a stale endpoint port. Once `fedlogin serve` ends, any local user may listen
 * on its port, and a shell that still holds AWS_CONTAINER_CREDENTIALS_FULL_URI would send the
 * token there. fedlogin cannot stop that shell, so it says, on exit, how to forget the endpoint
 * (the `unset` line of the shell), and no two runs share a port or a token.
 */

const EXPORTS =
  /^export AWS_CONTAINER_CREDENTIALS_FULL_URI='(http:\/\/127\.0\.0\.1:(\d+)\/credentials)'\nexport AWS_CONTAINER_AUTHORIZATION_TOKEN='([A-Za-z0-9_-]{43})'\nexport AWS_REGION='us-east-1'\nexport AWS_DEFAULT_REGION='us-east-1'\n$/;
const UNSET_SH = 'unset AWS_CONTAINER_CREDENTIALS_FULL_URI AWS_CONTAINER_AUTHORIZATION_TOKEN';

const setup = webIdentityProfileForSuite();

/** One serve run stopped by `signal`: what it printed. */
async function serveOnce(signal: NodeJS.Signals, format = 'sh', pattern: RegExp = EXPORTS) {
  const cli = spawnCli(['serve', '--profile', PROFILE, '--format', format], { home: setup.home.home, env: setup.env });
  try {
    const match = await cli.waitForStdout(pattern);
    cli.signal(signal);
    expect(await cli.exited()).toEqual({ code: 0, signal: null });
    return { match, stderr: cli.stderr() };
  } finally {
    cli.kill();
  }
}

it('attack: after serve ends another local user listens on its port — the exit prints the unset line, and every run has a new port and token', async () => {
  const first = await serveOnce('SIGTERM');
  const second = await serveOnce('SIGINT');
  const [, url1, port1, token1] = first.match;
  const [, , port2, token2] = second.match;
  expect(port2).not.toBe(port1);
  expect(token2).not.toBe(token1);

  for (const run of [first, second]) {
    const lines = run.stderr.split('\n');
    expect(lines).toContain(`  ${UNSET_SH}`);
    expect(run.stderr).toMatch(
      /fedlogin: the credentials endpoint http:\/\/127\.0\.0\.1:\d+\/credentials is closed; another local user could now listen on its port/,
    );
    expect(run.stderr).not.toContain(run.match[3]!);
  }

  // The attack itself: the old port is free for anyone to take once serve has ended...
  const impostor: Server = createServer();
  await new Promise<void>((resolve, reject) =>
    impostor.once('error', reject).listen(Number(port1), '127.0.0.1', resolve),
  );
  await new Promise<void>((resolve) => impostor.close(() => resolve()));
  // ...and the printed line, run in the old shell, makes it forget the endpoint and the token.
  // (the values come in the environment, not on the shell's command line)
  const shell = await runProcess(
    'sh',
    [
      '-c',
      `${UNSET_SH}; echo "[\${AWS_CONTAINER_CREDENTIALS_FULL_URI-gone}] [\${AWS_CONTAINER_AUTHORIZATION_TOKEN-gone}]"`,
    ],
    {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        AWS_CONTAINER_CREDENTIALS_FULL_URI: url1!,
        AWS_CONTAINER_AUTHORIZATION_TOKEN: token1!,
      },
    },
  );
  expect(shell.stdout).toBe('[gone] [gone]\n');
});

itWith(
  ['cmd:fish'],
  'prints the unset line of the shell the exports were for (fish, powershell), and fish forgets both',
  async () => {
    const fish = await serveOnce(
      'SIGTERM',
      'fish',
      /^set -gx AWS_CONTAINER_CREDENTIALS_FULL_URI .*\nset -gx AWS_CONTAINER_AUTHORIZATION_TOKEN '(.*)'\nset -gx AWS_REGION .*\nset -gx AWS_DEFAULT_REGION .*\n$/,
    );
    const unsetFish = 'set -e AWS_CONTAINER_CREDENTIALS_FULL_URI; set -e AWS_CONTAINER_AUTHORIZATION_TOKEN';
    expect(fish.stderr.split('\n')).toContain(`  ${unsetFish}`);
    const shell = await runProcess(
      'fish',
      [
        '--no-config',
        '-c',
        `${unsetFish}; set -q AWS_CONTAINER_CREDENTIALS_FULL_URI; or set -q AWS_CONTAINER_AUTHORIZATION_TOKEN; or echo gone`,
      ],
      {
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: setup.home.home,
          AWS_CONTAINER_CREDENTIALS_FULL_URI: 'x',
          AWS_CONTAINER_AUTHORIZATION_TOKEN: 'y',
        },
      },
    );
    expect(shell.stdout).toBe('gone\n');
    const pwsh = await serveOnce(
      'SIGINT',
      'powershell',
      /^\$Env:AWS_CONTAINER_CREDENTIALS_FULL_URI = .*\n\$Env:AWS_CONTAINER_AUTHORIZATION_TOKEN = '(.*)'\n\$Env:AWS_REGION = .*\n\$Env:AWS_DEFAULT_REGION = .*\n$/,
    );
    expect(pwsh.stderr.split('\n')).toContain(
      '  Remove-Item Env:AWS_CONTAINER_CREDENTIALS_FULL_URI, Env:AWS_CONTAINER_AUTHORIZATION_TOKEN',
    );
  },
);
