import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { homeEnv } from '../support/cli/tempHome.js';
import { formatLeaks, LeakRegistry } from '../support/harness/leakScan.js';

/** The scanner of the secret-leak scan, on a private registry with planted leaks. */

const JWT = `eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.${'s1gnature_'.repeat(8)}`;
const SAML = Buffer.from('<samlp:Response>planted assertion for the scanner test</samlp:Response>').toString('base64');
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SESSION_TOKEN = `IQoJb3JpZ2luX2VjE${'A+b/'.repeat(30)}`;

let home: string;
let env: ReturnType<typeof homeEnv>;
let registry: LeakRegistry;

beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'fedlogin-leakscan-'));
  env = homeEnv(home);
  await mkdir(path.dirname(env.AWS_CONFIG_FILE), { recursive: true });
  registry = new LeakRegistry();
  registry.register(JWT, 'token', 'issuer');
  registry.register(SAML, 'token', 'idp');
  registry.register(SECRET_KEY, 'aws', 'sts');
  registry.register(SESSION_TOKEN, 'aws', 'sts');
});
afterEach(() => rm(home, { recursive: true, force: true }));

/** One run: `write` plays the CLI's side effects between start and finish. */
async function run(
  args: string[],
  outcome: { code?: number; stdout?: string; stderr?: string },
  write?: () => Promise<void>,
) {
  const handle = registry.startRun({ argv: ['/repo/bin/fedlogin.js', ...args], home, env });
  await write?.();
  await handle.finish({ code: outcome.code ?? 0, stdout: outcome.stdout ?? '', stderr: outcome.stderr ?? '' });
  return registry.check();
}

describe('leak scan', () => {
  it('catches any secret on stderr, tokens on stdout, and leaves AWS credentials on stdout alone', async () => {
    expect(
      await run(['env'], {
        stdout: `export AWS_SECRET_ACCESS_KEY='${SECRET_KEY}'\nexport AWS_SESSION_TOKEN='${SESSION_TOKEN}'\n`,
      }),
    ).toEqual([]);
    const leaks = await run(['login', '--debug'], {
      stdout: `token: ${JWT}\n`,
      stderr: `[debug] key ${SECRET_KEY}\n[debug] assertion ${encodeURIComponent(SAML)}\n`,
    });
    expect(leaks.map((l) => [l.place, l.source]).sort()).toEqual([
      ['stderr', 'idp'],
      ['stderr', 'sts'],
      ['stdout', 'issuer'],
    ]);
    expect(formatLeaks(leaks)).not.toContain(SECRET_KEY);
  });

  it('catches a JWT by its signature even when the rest was cut off, and passes the redaction placeholders', async () => {
    const leaks = await run(['oidc'], { stderr: `token …${JWT.split('.')[2]}` });
    expect(leaks.map((l) => l.place)).toEqual(['stderr']);
    expect(await run(['oidc', '--debug'], { stderr: '[debug] id token [redacted-jwt], key [redacted]\n' })).toEqual([]);
  });

  it('catches a secret on argv, except in a run the CLI refused as a usage error', async () => {
    const leaks = await run(['web-identity', '--token', JWT], { code: 0 });
    expect(leaks).toHaveLength(1);
    expect(leaks[0]).toMatchObject({ place: 'argv', kind: 'token', run: 'web-identity --token [secret]' });
    expect(
      await run(['cognito', '--login', `key=${JWT}`], { code: 2, stderr: 'fedlogin: --login must be KEY=@FILE\n' }),
    ).toEqual([]);
    expect(registry.counts().refusedOnArgv).toBe(1);
  });

  it("catches a secret on another process's command line (a browser fedlogin started), URL-encoded too", () => {
    const url = `https://signin.example/federation?SigninToken=${encodeURIComponent(SESSION_TOKEN)}`;
    const leaks = registry.checkArgv(['/usr/bin/chromium', '--user-data-dir=/p', url], 'browser pid 42');
    expect(leaks).toHaveLength(1);
    expect(leaks[0]).toMatchObject({ place: 'argv', kind: 'aws', source: 'sts' });
    expect(leaks[0]!.run).toContain('(browser pid 42) /usr/bin/chromium --user-data-dir=/p');
    expect(leaks[0]!.run).not.toContain(SESSION_TOKEN);
    expect(registry.checkArgv(['/usr/bin/chromium', 'http://127.0.0.1:1234/abc'], 'browser')).toEqual([]);
  });

  it('catches a token in a file the run wrote, but not in files it did not touch or in the secret stores', async () => {
    await writeFile(path.join(home, 'token'), JWT); // the test's own token file, written before the run
    const leaks = await run(['login'], {}, async () => {
      await mkdir(path.join(env.XDG_CACHE_HOME, 'fedlogin'), { recursive: true });
      await writeFile(
        path.join(env.XDG_CACHE_HOME, 'fedlogin', 'entry.json'),
        JSON.stringify({ refresh: JWT, key: SECRET_KEY }),
      );
      await mkdir(path.join(env.XDG_STATE_HOME, 'fedlogin'), { recursive: true });
      await writeFile(path.join(env.XDG_STATE_HOME, 'fedlogin', 'debug.log'), `assertion=${SAML}\n`);
    });
    expect(leaks).toHaveLength(1);
    expect(leaks[0]).toMatchObject({
      place: 'file',
      file: path.join(env.XDG_STATE_HOME, 'fedlogin', 'debug.log'),
      source: 'idp',
    });
    expect(registry.counts()).toMatchObject({ runsScanned: 1, filesScanned: 1, leaksFound: 1, secretsTracked: 4 });
  });

  it('allows AWS credentials in ~/.aws/credentials only when the run asked for that output, never a token', async () => {
    const profile = `[dev]\naws_secret_access_key = ${SECRET_KEY}\naws_session_token = ${SESSION_TOKEN}\n`;
    const asked = await run(['login', '--output', 'credentials-file'], {}, () =>
      writeFile(env.AWS_SHARED_CREDENTIALS_FILE, profile),
    );
    expect(asked).toEqual([]);
    const unasked = await run(['login'], {}, () => writeFile(env.AWS_SHARED_CREDENTIALS_FILE, `${profile}\n`));
    expect(unasked.map((l) => [l.place, l.kind])).toEqual([
      ['file', 'aws'],
      ['file', 'aws'],
    ]); // the key and the session token
    const token = await run(['login', '--output', 'credentials-file'], {}, () =>
      writeFile(env.AWS_SHARED_CREDENTIALS_FILE, `${profile}x_token = ${JWT}\n`),
    );
    expect(token.map((l) => [l.place, l.kind])).toEqual([['file', 'token']]);
  });

  it('tracks no short values, and counts a secret registered twice once', () => {
    registry.register('short', 'token', 'x');
    registry.register(undefined, 'token', 'x');
    registry.register(JWT, 'token', 'again');
    expect(registry.counts().secretsTracked).toBe(4);
    expect(registry.find(`x${JWT}x`)[0]!.sources).toEqual(new Set(['issuer', 'again']));
  });
});
