import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli/runCli.js';
import { leakScan } from '../support/harness/leakScan.js';
import { type GithubTokenEndpoint, startGithubTokenEndpoint } from '../support/idp/githubTokenEndpoint.js';
import { PROFILE, ROLE_ARN, startWebIdentityProfile, type WebIdentityProfile } from './exec.support.js';

/**
 * The secret-leak scan's view of `fedlogin exec`'s child (test/support/harness/leakScan.ts scans every run's
 * stdout, stderr, argv and files after each test; this looks where it cannot): the child reads its
 * own /proc cmdline and environ, and fedlogin's (its parent's). AWS credentials belong in the
 * child's environment; no token (the web-identity JWT, a CI request token, a minted JWT) belongs
 * in anyone's argv, and none but what the caller's own environment carried in the child's.
 */

/** Prints `== <what> <pid>` then one NUL-separated entry per line, for the shell and its parent. */
const PROC_DUMP =
  'for p in $$ $PPID; do for f in cmdline environ; do echo "== $f $p"; tr "\\000" "\\n" < /proc/$p/$f | grep -v "^ACTIONS_ID_TOKEN_REQUEST_TOKEN="; echo; done; done; ' +
  'if [ -n "$ACTIONS_ID_TOKEN_REQUEST_TOKEN" ]; then echo "== request token inherited"; fi';

interface ProcView {
  cmdline: string[];
  environ: Record<string, string>;
}

function parseDump(stdout: string): { child: ProcView; fedlogin: ProcView; requestTokenInherited: boolean } {
  const views = new Map<string, ProcView>();
  let current: { view: ProcView; file: string } | undefined;
  for (const line of stdout.split('\n')) {
    const header = /^== (cmdline|environ) (\d+)$/.exec(line);
    if (header) {
      const pid = header[2]!;
      if (!views.has(pid)) views.set(pid, { cmdline: [], environ: {} });
      current = { view: views.get(pid)!, file: header[1]! };
      continue;
    }
    if (!current || line === '') continue;
    if (current.file === 'cmdline') current.view.cmdline.push(line);
    else {
      const at = line.indexOf('=');
      current.view.environ[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  const [child, fedlogin] = [...views.values()];
  if (!child || !fedlogin) throw new Error(`no /proc dump in stdout:\n${leakScan.redact(stdout)}`);
  return { child, fedlogin, requestTokenInherited: stdout.includes('== request token inherited') };
}

const secretsIn = (values: string[], kinds: Array<'aws' | 'token'>) =>
  leakScan.find(values.join('\n'), kinds).map((s) => [...s.sources].join(', '));

describe.skipIf(process.platform !== 'linux')('fedlogin exec: the child process and its parent carry no token', () => {
  let setup: WebIdentityProfile;
  let github: GithubTokenEndpoint;

  beforeAll(async () => {
    setup = await startWebIdentityProfile({
      extraConfig: [
        '',
        '[profile gh]',
        'fedlogin_flow = web-identity',
        `fedlogin_role_arn = ${ROLE_ARN}`,
        'fedlogin_ci = github',
        'region = us-east-1',
      ].join('\n'),
    });
    github = await startGithubTokenEndpoint({ issuer: setup.issuer });
  });
  afterAll(async () => {
    await github?.close();
    await setup?.close();
  });

  it('a token-file profile: keys in the environment, no token in argv or environment', async () => {
    const result = await runCli(['exec', '--profile', PROFILE, '--', 'sh', '-c', PROC_DUMP], { env: setup.env });
    expect(result.code, result.stderr).toBe(0);
    const { child, fedlogin } = parseDump(result.stdout);
    const issued = setup.sts.issued.at(-1)!;
    expect(child.environ).toMatchObject({
      AWS_SECRET_ACCESS_KEY: issued.secretAccessKey,
      AWS_SESSION_TOKEN: issued.sessionToken,
    });
    expect(child.cmdline).toEqual(['sh', '-c', PROC_DUMP]);
    expect(fedlogin.cmdline.slice(-7)).toEqual(['exec', '--profile', PROFILE, '--', 'sh', '-c', PROC_DUMP]);
    // not vacuous: the scan knows the profile's token
    expect(secretsIn([await readFile(path.join(setup.home.home, 'token'), 'utf8')], ['token'])).toHaveLength(1);
    expect(secretsIn([...child.cmdline, ...fedlogin.cmdline], ['aws', 'token'])).toEqual([]);
    expect(secretsIn([...Object.values(child.environ), ...Object.values(fedlogin.environ)], ['token'])).toEqual([]);
    // fedlogin itself was started without credentials: they exist only in what it hands the child
    expect(secretsIn(Object.values(fedlogin.environ), ['aws'])).toEqual([]);
  });

  it('--server: neither keys nor tokens in the child, only the endpoint and its authorization token', async () => {
    const result = await runCli(['exec', '--profile', PROFILE, '--server', '--', 'sh', '-c', PROC_DUMP], {
      env: setup.env,
    });
    expect(result.code, result.stderr).toBe(0);
    const { child, fedlogin } = parseDump(result.stdout);
    expect(child.environ.AWS_CONTAINER_CREDENTIALS_FULL_URI).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/credentials$/);
    const everything = [
      ...child.cmdline,
      ...fedlogin.cmdline,
      ...Object.values(child.environ),
      ...Object.values(fedlogin.environ),
    ];
    expect(secretsIn(everything, ['aws', 'token'])).toEqual([]);
  });

  it("GitHub Actions: the minted JWT reaches neither argv nor environment; the runner's request token is only inherited", async () => {
    const before = github.issued.length;
    const result = await runCli(['exec', '--profile', 'gh', '--force', '--', 'sh', '-c', PROC_DUMP], {
      env: { ...setup.env, ...github.env },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(github.issued.length).toBe(before + 1);
    const { child, fedlogin, requestTokenInherited } = parseDump(result.stdout);
    expect(requestTokenInherited).toBe(true);
    expect(child.environ.AWS_SESSION_TOKEN).toBe(setup.sts.issued.at(-1)!.sessionToken);
    expect(secretsIn([...child.cmdline, ...fedlogin.cmdline], ['aws', 'token'])).toEqual([]);
    // (the dump leaves out ACTIONS_ID_TOKEN_REQUEST_TOKEN, which the runner gives every step)
    expect(secretsIn([...Object.values(child.environ), ...Object.values(fedlogin.environ)], ['token'])).toEqual([]);
    expect(Object.values(child.environ).join('\n')).not.toContain(github.issued.at(-1)!);
  });
});
