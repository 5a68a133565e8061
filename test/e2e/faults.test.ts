import { chmod, chown, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileCacheKey } from '../../src/config/profileCacheKey.js';
import { loadProfile } from '../../src/config/profileSettings.js';
import { lockPathFor } from '../../src/store/lock.js';
import { addCognitoIdentity, type CognitoIdentityDouble } from '../support/aws/cognitoIdentity.js';
import { type StsEndpoint, startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { addSamlToSts } from '../support/aws/stsSaml.js';
import { makeTempHome, type RunCliResult, runCli, type TempHome } from '../support/cli/runCli.js';
import { spawnCli } from '../support/cli/spawnCli.js';
import { flowSettings, profileSection, writeAwsConfig } from '../support/harness/builders.js';
import { freePort } from '../support/harness/freePort.js';
import { type LoopbackServer, startLoopbackServer } from '../support/harness/loopbackServer.js';
import { recordReliability } from '../support/harness/reliability.js';
import { type ScriptedIdp, startScriptedIdp } from '../support/idp/oidcScriptedIdp.js';
import { type SamlIdp, startSamlIdp } from '../support/idp/samlIdp.js';
import { startTokenIssuer, type TokenIssuer } from '../support/idp/tokenIssuer.js';
import {
  chownForCli,
  deadPid,
  expectOneClearLine,
  playBrowser,
  runCliUnprivileged,
  snapshot,
  startGarbageServer,
} from './faults.support.js';

/**
 * The fault matrix: for every flow, the IdP or STS/Cognito down, slower than the time limit,
 * throttling then success, 5xx, malformed answers and clock skew; and for the files, a read-only
 * ~/.aws, a cache folder with wrong permissions or owner, a lock left by a dead process.
 *
 * Every case runs in a fresh HOME that already holds a valid cache entry (profile `cached`,
 * filled by the real CLI) and ~/.aws files with hand-written and fedlogin-written sections. After
 * the fault: the exit code (2 usage, 3 refused, 4 unreachable), one clear `fedlogin:` line, every
 * byte of ~/.aws and of the cache folder as before, and the cached credentials still served.
 */

const ROLE = 'arn:aws:iam::123456789012:role/ci';
const OIDC_ROLE = 'arn:aws:iam::123456789012:role/oidc';
const SAML_PROVIDER = 'arn:aws:iam::123456789012:saml-provider/test-idp';
const SAML_ROLE = 'arn:aws:iam::123456789012:role/dev';
const POOL = 'us-east-1:0f3c9d2e-7a1b-4c5d-8e9f-0a1b2c3d4e5f';
const GUEST_ROLE = 'arn:aws:iam::123456789012:role/cognito-guest';
const AUTH_ROLE = 'arn:aws:iam::123456789012:role/cognito-user';
const CLIENT_ID = 'app-client-1';
/** small enough that five timed-out attempts stay short; the delayed answers come later than it */
const SHORT_TIMEOUT_MS = '400';
const SLOW_MS = 1_500;
const TWO_HOURS = 2 * 3600_000;
const AUTH_URL = /(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)/;

let issuer: TokenIssuer;
let sts: StsEndpoint;
let saml: SamlIdp;
let cognito: CognitoIdentityDouble;
let oidcIdp: ScriptedIdp;
let garbageXml: LoopbackServer;
let garbageJson: LoopbackServer;
let broken503: LoopbackServer;
let slowIdp: LoopbackServer;
let closedUrl: string;
let scratch: string;
let loginKey: string;

beforeAll(async () => {
  issuer = await startTokenIssuer();
  loginKey = issuer.url.replace(/^http:\/\//, '');
  oidcIdp = await startScriptedIdp();
  saml = await startSamlIdp({ roles: [`${SAML_ROLE},${SAML_PROVIDER}`] });
  sts = await startStsEndpoint({
    roles: {
      [ROLE]: { trust: { issuer: issuer.url, audiences: ['sts.amazonaws.com'] } },
      [OIDC_ROLE]: { trust: { issuer: oidcIdp.issuer, audiences: [oidcIdp.clientId] } },
      [SAML_ROLE]: {},
    },
  });
  addSamlToSts(sts, { providers: { [SAML_PROVIDER]: { certPem: saml.certPem } } });
  cognito = await addCognitoIdentity(sts, {
    [POOL]: {
      allowUnauthenticated: true,
      providers: { [loginKey]: { clientIds: [CLIENT_ID] } },
      roles: { authenticated: AUTH_ROLE, unauthenticated: GUEST_ROLE },
    },
  });
  // Malformed answers: HTML where XML is expected, a JSON body of the wrong shape, a bare 503.
  garbageXml = await startGarbageServer(200, '<html><body>Sign in to the captive portal</body></html>', 'text/html');
  garbageJson = await startGarbageServer(200, '{"unexpected": [1, 2, 3]}', 'application/x-amz-json-1.1');
  broken503 = await startGarbageServer(503, 'Service Unavailable', 'text/plain');
  // An IdP that never answers: it holds each request until fedlogin's time limit closes the
  // connection (or the suite stops it), so "slower than the limit" holds on any machine.
  slowIdp = await startLoopbackServer(async (req, res) => {
    req.resume();
    await new Promise((resolve) => res.once('close', resolve));
  });
  closedUrl = `http://127.0.0.1:${await freePort()}`;
  scratch = await mkdtemp(path.join(tmpdir(), 'fedlogin-faults-'));
});

afterAll(async () => {
  await Promise.all([cognito?.close(), sts?.close(), issuer?.close(), saml?.close(), oidcIdp?.close()]);
  await Promise.all([garbageXml, garbageJson, broken503, slowIdp].map((s) => s?.close()));
  await rm(scratch, { recursive: true, force: true });
});

interface Home extends TempHome {
  tokenFile: string;
  cacheRoot: string;
  /** the access key id `login` cached (and wrote to ~/.aws/credentials) */
  cachedKeyId: string;
  /** the environment every run gets: this HOME, the file store, the local STS and Cognito */
  base: Record<string, string>;
}

const STATIC_CREDENTIALS =
  '# my keys, hands off\n[static]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n';

/** A HOME with a valid cache entry for `cached` (web-identity) and ~/.aws/credentials holding its fedlogin section. */
async function prepareHome(): Promise<Home> {
  const home = await makeTempHome();
  const tokenFile = path.join(home.home, 'token');
  await writeFile(
    tokenFile,
    await issuer.sign({ sub: 'system:serviceaccount:dev:app', aud: 'sts.amazonaws.com' }, { expiresInSeconds: 900 }),
    { mode: 0o600 },
  );
  const idToken = path.join(home.home, 'id-token');
  await writeFile(
    idToken,
    await issuer.sign({ sub: 'user-1', aud: CLIENT_ID, token_use: 'id' }, { expiresInSeconds: 900 }),
    { mode: 0o600 },
  );
  await writeAwsConfig(
    home,
    ['# my settings', '[default]', 'region = eu-west-1'],
    profileSection(
      'cached',
      {
        ...flowSettings.webIdentity({ roleArn: ROLE, tokenFile }),
        fedlogin_write_credentials: true,
        region: 'us-east-1',
      },
      { credentialProcess: 'checkout' },
    ),
    profileSection('cog', flowSettings.cognito({ pool: POOL, guest: true })),
    profileSection('cog-login', flowSettings.cognito({ pool: POOL, login: `${loginKey}=@${idToken}` })),
  );
  await writeFile(home.awsCredentialsFile, STATIC_CREDENTIALS, { mode: 0o600 });
  const base = {
    ...home.env,
    FEDLOGIN_STORE: 'file',
    AWS_ENDPOINT_URL_STS: sts.url,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY: sts.url,
    AWS_REGION: 'us-east-1',
  };
  const login = await runCli(['login', '--profile', 'cached'], { env: base });
  expect(login.code, login.stderr).toBe(0);
  const written = /\[cached\]\naws_access_key_id = (ASIA\w+)/.exec(await readFile(home.awsCredentialsFile, 'utf8'));
  expect(written).not.toBeNull();
  return {
    ...home,
    tokenFile,
    cacheRoot: path.join(home.env.XDG_CACHE_HOME!, 'fedlogin'),
    cachedKeyId: written![1]!,
    base,
  };
}

/** The cached credentials are still served, from the cache (no exchange at STS). The endpoint is part of the cache key. */
async function expectCacheStillServed(home: Home): Promise<void> {
  const exchanges = sts.count('AssumeRoleWithWebIdentity');
  const again = await runCli(['credential-process', '--profile', 'cached'], { env: home.base });
  expect(again.code, again.stderr).toBe(0);
  expect(JSON.parse(again.stdout).AccessKeyId).toBe(home.cachedKeyId);
  expect(sts.count('AssumeRoleWithWebIdentity')).toBe(exchanges);
}

function expectCredentialJson(result: RunCliResult): void {
  expect(result.code, result.stderr).toBe(0);
  const json = JSON.parse(result.stdout) as { Version: number; AccessKeyId: string };
  expect(json.Version).toBe(1);
  expect(json.AccessKeyId).toMatch(/^ASIA/);
  expect(result.stderr).not.toMatch(/^\s+at .+:\d+/m);
}

async function samlAssertionFile(home: Home): Promise<string> {
  const file = path.join(home.home, 'response.b64');
  await writeFile(file, await saml.signedResponse('alice'));
  return file;
}

/** `fedlogin oidc --no-browser`, with this test playing the browser; `expectSignIn` false when it fails before the URL. */
async function runOidc(
  home: Home,
  issuerUrl: string,
  env: Record<string, string>,
  expectSignIn: boolean,
): Promise<RunCliResult> {
  const cli = spawnCli(
    [
      'oidc',
      '--issuer',
      issuerUrl,
      '--client-id',
      oidcIdp.clientId,
      '--role-arn',
      OIDC_ROLE,
      '--no-browser',
      '--timeout',
      '20s',
    ],
    {
      home: home.home,
      env: { ...home.base, ...env },
      timeoutMs: 30_000,
    },
  );
  if (expectSignIn) {
    const [, url] = await cli.waitForStderr(AUTH_URL, 15_000);
    await playBrowser(url!);
  }
  return cli.result;
}

type Flow = 'web-identity' | 'oidc' | 'saml' | 'cognito';
type Service = 'STS' | 'IdP' | 'Cognito';

interface FaultCase {
  flow: Flow;
  service: Service;
  fault: 'down' | 'slow' | 'throttled, then success' | '5xx' | '5xx, then success' | 'malformed' | 'clock skew';
  /** arranges the fault; returns extra environment for the run */
  inject?: () => Record<string, string> | void;
  run(home: Home, env: Record<string, string>): Promise<RunCliResult>;
  /** undefined: success, credential JSON on stdout */
  fails?: { code: 2 | 3 | 4; line: RegExp };
}

const slowEnv = { FEDLOGIN_HTTP_TIMEOUT_MS: SHORT_TIMEOUT_MS };

/** web-identity: `login --profile cached` would rewrite the cache entry and ~/.aws/credentials: a failure must leave both. */
const wiLogin = (home: Home, env: Record<string, string>) =>
  runCli(['login', '--profile', 'cached'], { env: { ...home.base, ...env } });
const wiPrint = (home: Home, env: Record<string, string>) =>
  runCli(['web-identity', '--token-file', home.tokenFile, '--role-arn', ROLE], { env: { ...home.base, ...env } });
const wiGithub = (url: string) => (home: Home, env: Record<string, string>) =>
  runCli(['web-identity', '--ci', 'github', '--role-arn', ROLE], {
    env: {
      ...home.base,
      ACTIONS_ID_TOKEN_REQUEST_URL: `${url}/token`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'job-request-token',
      ...env,
    },
  });
/** saml: --all-roles --output credentials-file writes ~/.aws/credentials profiles, so a failure must not leave half of them */
const samlAllRoles = async (home: Home, env: Record<string, string>) =>
  runCli(
    [
      'saml',
      '--assertion-file',
      await samlAssertionFile(home),
      '--all-roles',
      '--output',
      'credentials-file',
      '--no-account-names-from-aws',
    ],
    { env: { ...home.base, ...env } },
  );
const samlPrint = async (home: Home, env: Record<string, string>) =>
  runCli(['saml', '--assertion-file', await samlAssertionFile(home)], { env: { ...home.base, ...env } });
const cognitoLogin = (profile: string) => (home: Home, env: Record<string, string>) =>
  runCli(['login', '--profile', profile], { env: { ...home.base, ...env } });
const cognitoPrint = (home: Home, env: Record<string, string>) =>
  runCli(['cognito', '--identity-pool-id', POOL, '--guest'], { env: { ...home.base, ...env } });

type Run = FaultCase['run'];

/**
 * The STS faults of a flow that calls STS directly: `fail` is the run that must fail cleanly (and
 * leave the files), `recover` the one that must succeed after a transient fault.
 */
const stsFaultCases = (
  flow: Flow,
  action: string,
  fail: Run,
  recover: Run,
  { internalThenSuccess = false } = {},
): FaultCase[] => [
  {
    flow,
    service: 'STS',
    fault: 'down',
    inject: () => ({ AWS_ENDPOINT_URL_STS: closedUrl }),
    run: fail,
    fails: { code: 4, line: /Could not reach STS/ },
  },
  {
    flow,
    service: 'STS',
    fault: 'slow',
    inject: () => (sts.delayNext(5, SLOW_MS, action), slowEnv),
    run: fail,
    fails: { code: 4, line: /STS/ },
  },
  {
    flow,
    service: 'STS',
    fault: 'throttled, then success',
    inject: () => sts.throttleNext(2, action),
    run: recover,
  },
  {
    flow,
    service: 'STS',
    fault: '5xx',
    inject: () => sts.failNextUnavailable(5, action),
    run: fail,
    fails: { code: 4, line: /STS/ },
  },
  ...(internalThenSuccess
    ? [
        {
          flow,
          service: 'STS',
          fault: '5xx, then success',
          inject: () => sts.failNextInternal(2, action),
          run: recover,
        } satisfies FaultCase,
      ]
    : []),
  {
    flow,
    service: 'STS',
    fault: 'malformed',
    inject: () => ({ AWS_ENDPOINT_URL_STS: garbageXml.url }),
    run: fail,
    fails: { code: 4, line: /STS/ },
  },
  {
    flow,
    service: 'STS',
    fault: 'clock skew',
    inject: () => sts.setClockSkew(TWO_HOURS),
    run: fail,
    fails: { code: 3, line: /expired/i },
  },
];

const CASES: FaultCase[] = [
  // web-identity
  ...stsFaultCases('web-identity', 'AssumeRoleWithWebIdentity', wiLogin, wiPrint, { internalThenSuccess: true }),
  {
    flow: 'web-identity',
    service: 'IdP',
    fault: 'down',
    run: (h, e) => wiGithub(closedUrl)(h, e),
    fails: { code: 4, line: /./ },
  },
  {
    flow: 'web-identity',
    service: 'IdP',
    fault: '5xx',
    run: (h, e) => wiGithub(broken503.url)(h, e),
    fails: { code: 4, line: /./ },
  },
  {
    flow: 'web-identity',
    service: 'IdP',
    fault: 'malformed',
    run: (h, e) => wiGithub(garbageJson.url)(h, e),
    fails: { code: 4, line: /./ },
  },
  {
    flow: 'web-identity',
    service: 'IdP',
    fault: 'slow',
    run: (h, e) => wiGithub(slowIdp.url)(h, { ...e, ...slowEnv }),
    fails: { code: 4, line: /./ },
  },

  // saml --assertion-file (the browser half of the flow has its own suites)
  ...stsFaultCases('saml', 'AssumeRoleWithSAML', samlAllRoles, samlPrint),

  // cognito
  {
    flow: 'cognito',
    service: 'Cognito',
    fault: 'down',
    inject: () => ({ AWS_ENDPOINT_URL_COGNITO_IDENTITY: closedUrl }),
    run: cognitoLogin('cog'),
    fails: { code: 4, line: /Could not reach Cognito/ },
  },
  {
    flow: 'cognito',
    service: 'Cognito',
    fault: 'slow',
    inject: () => (sts.delayNext(5, SLOW_MS, 'GetId'), slowEnv),
    run: cognitoLogin('cog'),
    fails: { code: 4, line: /Cognito/ },
  },
  {
    flow: 'cognito',
    service: 'Cognito',
    fault: 'throttled, then success',
    inject: () => sts.failNext(2, { code: 'TooManyRequestsException', message: 'Rate exceeded', action: 'GetId' }),
    run: cognitoPrint,
  },
  {
    flow: 'cognito',
    service: 'Cognito',
    fault: '5xx',
    inject: () =>
      sts.failNext(5, {
        code: 'InternalErrorException',
        message: 'Internal error',
        status: 500,
        action: 'GetCredentialsForIdentity',
      }),
    run: cognitoLogin('cog'),
    fails: { code: 4, line: /Cognito/ },
  },
  {
    flow: 'cognito',
    service: 'Cognito',
    fault: 'malformed',
    inject: () => ({ AWS_ENDPOINT_URL_COGNITO_IDENTITY: garbageJson.url }),
    run: cognitoLogin('cog'),
    fails: { code: 4, line: /Cognito/ },
  },
  {
    flow: 'cognito',
    service: 'Cognito',
    fault: 'clock skew',
    inject: () => sts.setClockSkew(TWO_HOURS),
    run: cognitoLogin('cog-login'),
    fails: { code: 3, line: /./ },
  },

  // oidc
  {
    flow: 'oidc',
    service: 'IdP',
    fault: 'down',
    run: (h, e) => runOidc(h, closedUrl, e, false),
    fails: { code: 4, line: /./ },
  },
  {
    flow: 'oidc',
    service: 'IdP',
    fault: 'slow',
    run: (h, e) => runOidc(h, slowIdp.url, { ...e, FEDLOGIN_HTTP_TIMEOUT_MS: '1000' }, false),
    fails: { code: 4, line: /./ },
  },
  {
    flow: 'oidc',
    service: 'IdP',
    fault: '5xx',
    run: (h, e) => runOidc(h, broken503.url, e, false),
    fails: { code: 4, line: /./ },
  },
  {
    flow: 'oidc',
    service: 'IdP',
    fault: 'malformed',
    run: (h, e) => runOidc(h, garbageJson.url, e, false),
    fails: { code: 2, line: /./ },
  },
  {
    flow: 'oidc',
    service: 'STS',
    fault: 'throttled, then success',
    inject: () => sts.throttleNext(2, 'AssumeRoleWithWebIdentity'),
    run: (h, e) => runOidc(h, oidcIdp.issuer, e, true),
  },
  {
    flow: 'oidc',
    service: 'STS',
    fault: '5xx',
    inject: () => sts.failNextUnavailable(5, 'AssumeRoleWithWebIdentity'),
    run: (h, e) => runOidc(h, oidcIdp.issuer, e, true),
    fails: { code: 4, line: /STS/ },
  },
  {
    flow: 'oidc',
    service: 'STS',
    fault: 'clock skew',
    inject: () => sts.setClockSkew(TWO_HOURS),
    run: (h, e) => runOidc(h, oidcIdp.issuer, e, true),
    fails: { code: 3, line: /expired/i },
  },
];

describe('faults: every flow, every service fault; files and cache untouched', () => {
  it.each(CASES.map((c) => [`${c.flow}: ${c.service} ${c.fault}`, c] as const))('%s', async (_name, c) => {
    const home = await prepareHome();
    try {
      const before = snapshot([path.dirname(home.awsConfigFile), home.cacheRoot]);
      sts.reset();
      let result: RunCliResult;
      try {
        const env = c.inject?.() ?? {};
        result = await c.run(home, env);
      } finally {
        sts.setClockSkew(0);
        sts.reset();
      }
      if (c.fails) expectOneClearLine(result, c.fails.code, c.fails.line);
      else expectCredentialJson(result);
      // oidc may keep a refresh token in the file store; everything that was there is unchanged
      const after = snapshot([path.dirname(home.awsConfigFile), home.cacheRoot]);
      for (const [file, bytes] of before) expect(after.get(file), file).toBe(bytes);
      // (cognito keeps the IdentityId and oidc a refresh token in the secret store once the IdP said yes: new entries, not changed ones)
      if (c.flow === 'web-identity' || c.flow === 'saml')
        expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
      await expectCacheStillServed(home);
      recordReliability(
        'faults',
        { injected: 1, ...(c.fails ? { failedCleanly: 1 } : { recovered: 1 }) },
        `${c.flow}: ${c.service} ${c.fault}`,
      );
    } finally {
      await home.cleanup();
    }
  });
});

describe('faults: the files and the cache folder', () => {
  it('a read-only ~/.aws: login fails with one line, ~/.aws untouched, the cache still served', async () => {
    const home = await prepareHome();
    try {
      const awsDir = path.dirname(home.awsConfigFile);
      chownForCli(home.home);
      await chmod(home.awsCredentialsFile, 0o400);
      await chmod(awsDir, 0o500);
      const before = snapshot([awsDir, home.cacheRoot]);
      const result = await runCliUnprivileged(['login', '--profile', 'cached'], { env: home.base });
      expectOneClearLine(result, 2, /credentials/);
      expect(result.stderr).not.toMatch(/Logged in/); // no success line before the failed write
      const after = snapshot([awsDir, home.cacheRoot]);
      for (const file of [home.awsConfigFile, home.awsCredentialsFile])
        expect(after.get(file), file).toBe(before.get(file));
      await chmod(awsDir, 0o700);
      recordReliability('faults', { injected: 1, failedCleanly: 1 }, 'files: read-only ~/.aws');
      // The login may refresh fedlogin's own cache before the write fails; what it serves is valid either way.
      const again = await runCliUnprivileged(['credential-process', '--profile', 'cached'], { env: home.base });
      expect(again.code, again.stderr).toBe(0);
    } finally {
      await home.cleanup();
    }
  });

  it('a cache folder open to group and others is made private again and still served', async () => {
    const home = await prepareHome();
    try {
      await chmod(home.cacheRoot, 0o777);
      const before = snapshot([path.dirname(home.awsConfigFile), home.cacheRoot]);
      await expectCacheStillServed(home);
      expect((await stat(home.cacheRoot)).mode & 0o777).toBe(0o700);
      expect(snapshot([path.dirname(home.awsConfigFile), home.cacheRoot])).toEqual(before);
      recordReliability('faults', { injected: 1, recovered: 1 }, 'files: cache folder mode 0777');
    } finally {
      await home.cleanup();
    }
  });

  it('a cache folder owned by someone else is refused (exit 2), nothing read or written', async () => {
    const home = await prepareHome();
    try {
      const before = snapshot([path.dirname(home.awsConfigFile), home.cacheRoot]);
      await chown(home.cacheRoot, 12345, 12345).catch(() => undefined);
      if ((await stat(home.cacheRoot)).uid !== 12345) return; // cannot chown without root: nothing to test
      for (const args of [
        ['credential-process', '--profile', 'cached'],
        ['login', '--profile', 'cached'],
      ]) {
        const result = await runCli(args, { env: home.base });
        expectOneClearLine(result, 2, /belongs to uid 12345/);
      }
      expect(snapshot([path.dirname(home.awsConfigFile), home.cacheRoot])).toEqual(before);
      await chown(home.cacheRoot, process.getuid!(), process.getgid!());
      await expectCacheStillServed(home);
      recordReliability('faults', { injected: 1, failedCleanly: 1 }, 'files: cache folder owned by another user');
    } finally {
      await home.cleanup();
    }
  });

  it('a lock left by a dead process is broken: login succeeds, the hand-written sections stay', async () => {
    const home = await prepareHome();
    try {
      const profile = loadProfile(home.base, 'cached')!;
      const lock = lockPathFor(home.base, profileCacheKey(profile, home.base));
      await mkdir(path.dirname(lock), { recursive: true, mode: 0o700 });
      await writeFile(
        lock,
        JSON.stringify({
          pid: deadPid(),
          hostname: hostname(),
          createdAt: new Date().toISOString(),
          token: 'dead-holder',
        }),
        { mode: 0o600 },
      );
      const config = await readFile(home.awsConfigFile, 'utf8');
      const result = await runCli(['login', '--profile', 'cached'], { env: home.base, timeoutMs: 20_000 });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/Logged in for profile cached/);
      expect(await readFile(home.awsConfigFile, 'utf8')).toBe(config);
      const credentials = await readFile(home.awsCredentialsFile, 'utf8');
      expect(credentials.startsWith(STATIC_CREDENTIALS)).toBe(true);
      expect(credentials).toContain(`aws_access_key_id = ${sts.issued.at(-1)!.accessKeyId}`);
      const hit = await runCli(['credential-process', '--profile', 'cached'], { env: home.base });
      expect(JSON.parse(hit.stdout).AccessKeyId).toBe(sts.issued.at(-1)!.accessKeyId);
      recordReliability('faults', { injected: 1, recovered: 1 }, 'files: lock held by a dead process');
    } finally {
      await home.cleanup();
    }
  });
});
