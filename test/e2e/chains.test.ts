import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getCallerIdentity } from '../support/aws/sdkCall.js';
import { type StsEndpoint, startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { makeTempHome, type RunCliResult, runCli, type TempHome } from '../support/cli/runCli.js';
import { flowSettings, profileSection, writeAwsConfig } from '../support/harness/builders.js';
import { startTokenIssuer, type TokenIssuer } from '../support/idp/tokenIssuer.js';

const CI = 'arn:aws:iam::123456789012:role/ci';
const APP = 'arn:aws:iam::210987654321:role/app';
const DEPLOY = 'arn:aws:iam::333333333333:role/deploy';
const EXTERNAL_ID = 'partner-4711';
const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

let issuer: TokenIssuer;
let sts: StsEndpoint;
let home: TempHome;

beforeAll(async () => {
  issuer = await startTokenIssuer();
  sts = await startStsEndpoint({
    roles: {
      [CI]: { trust: { issuer: issuer.url, audiences: ['sts.amazonaws.com'] }, maxSessionDuration: 43_200 },
      // the trust policy of both hops requires an external ID
      [APP]: { externalId: EXTERNAL_ID, maxSessionDuration: 43_200 },
      [DEPLOY]: { externalId: 'deploy-0815' },
    },
  });
});
afterAll(async () => {
  await Promise.all([issuer?.close(), sts?.close()]);
});
beforeEach(async () => {
  home = await makeTempHome();
  sts.reset();
});
afterEach(async () => home.cleanup());

const cli = (args: string[]) =>
  runCli(args, {
    env: { ...home.env, AWS_ENDPOINT_URL_STS: sts.url, AWS_REGION: 'us-east-1', FEDLOGIN_STORE: 'file' },
  });

async function tokenFile(): Promise<string> {
  const path = join(home.home, 'token');
  await writeFile(path, await issuer.sign({ sub: 'repo:octo/app:ref:refs/heads/main', aud: 'sts.amazonaws.com' }), {
    mode: 0o600,
  });
  return path;
}

/** ci (web-identity) <- app (external ID, 2 h asked) <- deploy (its own external ID) */
async function writeChain(app: Record<string, string> = {}): Promise<void> {
  await writeAwsConfig(
    home,
    profileSection('ci', {
      ...flowSettings.webIdentity({ roleArn: CI, tokenFile: await tokenFile() }),
      fedlogin_duration: '2h',
    }),
    profileSection('app', {
      role_arn: APP,
      source_profile: 'ci',
      external_id: EXTERNAL_ID,
      duration_seconds: '7200',
      role_session_name: 'app-session',
      ...app,
    }),
    profileSection('deploy', { role_arn: DEPLOY, source_profile: 'app', external_id: 'deploy-0815' }),
  );
}

function processJson(result: RunCliResult) {
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as {
    AccessKeyId: string;
    SecretAccessKey: string;
    SessionToken: string;
    Expiration: string;
  };
}

const actions = () => sts.issued.map((c) => `${c.action} ${c.roleArn}${c.externalId ? ` ${c.externalId}` : ''}`);

describe('role chains through source_profile', () => {
  it('two hops with external IDs: credential-process resolves the chain; each hop is cached as its own', async () => {
    await writeChain();
    const first = processJson(await cli(['credential-process', '--profile', 'deploy']));
    expect(actions()).toEqual([
      `AssumeRoleWithWebIdentity ${CI}`,
      `AssumeRole ${APP} ${EXTERNAL_ID}`,
      `AssumeRole ${DEPLOY} deploy-0815`,
    ]);
    // each hop is signed by the one before
    expect(sts.issued[1]!.sourceAccessKeyId).toBe(sts.issued[0]!.accessKeyId);
    expect(sts.issued[2]!.sourceAccessKeyId).toBe(sts.issued[1]!.accessKeyId);
    expect(sts.issued[1]!.roleSessionName).toBe('app-session');
    const identity = await getCallerIdentity(
      { accessKeyId: first.AccessKeyId, secretAccessKey: first.SecretAccessKey, sessionToken: first.SessionToken },
      sts.url,
    );
    expect(identity.Arn).toBe('arn:aws:sts::333333333333:assumed-role/deploy/fedlogin-deploy');

    // the chained profile: a cache hit; the source profiles: their own cache entries, no STS call
    const [ci, app] = sts.issued;
    sts.reset();
    expect(processJson(await cli(['credential-process', '--profile', 'deploy'])).AccessKeyId).toBe(first.AccessKeyId);
    expect(processJson(await cli(['credential-process', '--profile', 'app'])).AccessKeyId).toBe(app!.accessKeyId);
    expect(processJson(await cli(['credential-process', '--profile', 'ci'])).AccessKeyId).toBe(ci!.accessKeyId);
    expect(sts.requests).toHaveLength(0);
  });

  it('the one-hour limit of chained sessions is applied and explained', async () => {
    await writeChain();
    const result = await cli(['credential-process', '--profile', 'app']);
    processJson(result);
    expect(result.stderr).toMatch(
      /Role chaining is limited to 3600 s by AWS; .*role\/app gets 3600 s instead of 7200 s/,
    );
    const hop = sts.requests.find((r) => r.action === 'AssumeRole')!;
    expect(hop.params.DurationSeconds).toBe('3600');
    // the source kept its own 2 h
    expect(sts.requests.find((r) => r.action === 'AssumeRoleWithWebIdentity')!.params.DurationSeconds).toBe('7200');
  });

  it('a wrong external ID is refused by STS (exit 3), naming the role', async () => {
    await writeChain({ external_id: 'wrong-id' });
    const result = await cli(['credential-process', '--profile', 'app']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/STS refused AssumeRole for arn:aws:iam::210987654321:role\/app/);
    expect(sts.requests.at(-1)!.notes.denied).toMatch(/ExternalId wrong-id/);
  });

  it('session policies of a chained profile narrow its hop', async () => {
    await writeChain({ fedlogin_policy_arns: READ_ONLY });
    processJson(await cli(['credential-process', '--profile', 'app']));
    expect(sts.issued.map((c) => c.policyArns)).toEqual([[], [READ_ONLY]]);
  });

  it('env and exec work on a chained profile', async () => {
    await writeChain();
    const env = await cli(['env', '--profile', 'app']);
    expect(env.code, env.stderr).toBe(0);
    expect(env.stdout).toMatch(/AWS_ACCESS_KEY_ID=/);
    const exec = await cli([
      'exec',
      '--profile',
      'app',
      '--',
      process.execPath,
      '-e',
      'console.log(process.env.AWS_ACCESS_KEY_ID)',
    ]);
    expect(exec.code, exec.stderr).toBe(0);
    expect(exec.stdout.trim()).toBe(sts.issued.find((c) => c.roleArn === APP)!.accessKeyId);
  });

  it('exec --server serves the chained profile to the child from its container credentials endpoint', async () => {
    await writeChain();
    const fetchKey =
      'fetch(process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI, { headers: { Authorization: process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN } })' +
      '.then((r) => r.json()).then((c) => console.log(c.AccessKeyId))';
    const result = await cli(['exec', '--profile', 'deploy', '--server', '--', process.execPath, '-e', fetchKey]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(sts.issued.find((c) => c.roleArn === DEPLOY)!.accessKeyId);
    expect(actions()).toHaveLength(3);
  });

  it('cycles and missing pieces are refused with one line (exit 2), before any STS call', async () => {
    await writeAwsConfig(
      home,
      profileSection('a', { role_arn: APP, source_profile: 'b' }),
      profileSection('b', { role_arn: CI, source_profile: 'a' }),
      profileSection('self', { role_arn: APP, source_profile: 'self' }),
      profileSection('norole', { source_profile: 'a' }),
      profileSection('both', { role_arn: APP, source_profile: 'a', fedlogin_flow: 'web-identity' }),
      profileSection('p1', { role_arn: APP, source_profile: 'p2' }),
      profileSection('p2', { role_arn: APP, source_profile: 'p3' }),
      profileSection('p3', { role_arn: APP, source_profile: 'p4' }),
      profileSection('p4', { role_arn: APP, source_profile: 'p5' }),
      profileSection('p5', { role_arn: APP, source_profile: 'p6' }),
      profileSection('p6', { fedlogin_flow: 'web-identity', fedlogin_role_arn: CI }),
    );
    const cases: [string, RegExp][] = [
      ['a', /The profiles form a cycle: a -> b -> a\./],
      ['self', /The profiles form a cycle: self -> self\./],
      ['norole', /has source_profile but no role_arn/],
      ['both', /has both fedlogin_flow and source_profile/],
      ['p1', /The chain p1 -> p2 -> p3 -> p4 -> p5 -> p6 has 6 profiles; fedlogin follows at most 5/],
    ];
    for (const [profile, message] of cases) {
      const result = await cli(['credential-process', '--profile', profile]);
      expect(result.code, profile).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n').length, result.stderr).toBeLessThanOrEqual(2);
    }
    expect(sts.requests).toHaveLength(0);
  });
});

describe('fedlogin_chain_role_arn on a flow profile', () => {
  it('the hops run after the flow, through the shared chain step; the flow step is cached on its own', async () => {
    await writeAwsConfig(
      home,
      profileSection('ci', {
        ...flowSettings.webIdentity({ roleArn: CI, tokenFile: await tokenFile() }),
        fedlogin_chain_role_arn: APP,
      }),
    );
    // the role's trust requires the external ID: without external_id on a fedlogin_chain_role_arn hop, use a role without one
    delete sts.roles[APP]!.externalId;
    try {
      const first = processJson(await cli(['credential-process', '--profile', 'ci']));
      expect(actions()).toEqual([`AssumeRoleWithWebIdentity ${CI}`, `AssumeRole ${APP}`]);
      expect(sts.issued[1]!.accessKeyId).toBe(first.AccessKeyId);
      // `fedlogin login` renews the profile's hops and its flow step
      const login = await cli(['login', '--profile', 'ci']);
      expect(login.code, login.stderr).toBe(0);
      expect(sts.issued).toHaveLength(4);
    } finally {
      sts.roles[APP]!.externalId = EXTERNAL_ID;
    }
  });
});

describe('fedlogin status: the tree of sign-ins and the profiles hanging off them', () => {
  it('shows each sign-in, its profiles, chained ones under their source, with expiry; --json has the tree', async () => {
    await writeChain();
    await writeFile(
      home.awsConfigFile,
      `${await readFile(home.awsConfigFile, 'utf8')}\n${profileSection('other', {
        fedlogin_flow: 'saml',
        fedlogin_idp_url: 'https://idp.example.com/app/aws/sso',
        fedlogin_role_arn: 'arn:aws:iam::123456789012:role/dev',
      }).join('\n')}\n`,
    );
    const app = processJson(await cli(['credential-process', '--profile', 'app']));
    const table = await cli(['status']);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.trimEnd());
    expect(lines[0]).toMatch(/^SIGN-IN \/ PROFILE +FLOW +STORE +STATE +EXPIRES +ROLE$/);
    // the first column: a sign-in flush left, its profiles indented, chained ones under their source
    const names = lines.slice(1).map((l) => l.split(/ {2,}/).filter(Boolean)[0]!.trim());
    expect(names).toEqual([
      expect.stringMatching(/^token file .*token$/),
      'ci',
      '└─ app',
      '└─ deploy',
      'saml https://idp.example.com/app/aws/sso',
      'other',
    ]);
    const appLine = lines.find((l) => l.includes('└─ app'))!;
    expect(appLine).toMatch(new RegExp(`chain +file +valid +${app.Expiration.replace('Z', '')}\\.000Z +${APP}`));
    expect(lines.find((l) => l.includes('└─ deploy'))).toMatch(/chain +file +none +- +/);
    // deploy hangs off app, deeper than app
    expect(lines.find((l) => l.includes('└─ deploy'))!.indexOf('└─')).toBeGreaterThan(appLine.indexOf('└─'));

    const json = JSON.parse((await cli(['status', '--json'])).stdout) as {
      profiles: { profile: string; flow: string; source: string | null; role: string; state: string }[];
      signIns: { signIn: string; profiles: { profile: string; expiration: string | null; chained: unknown[] }[] }[];
    };
    expect(json.profiles.find((p) => p.profile === 'app')).toMatchObject({
      flow: 'chain',
      source: 'ci',
      role: APP,
      state: 'valid',
    });
    expect(json.signIns).toEqual([
      {
        signIn: expect.stringMatching(/^token file /),
        profiles: [
          {
            profile: 'ci',
            expiration: expect.any(String),
            chained: [
              {
                profile: 'app',
                expiration: new Date(app.Expiration).toISOString(),
                chained: [{ profile: 'deploy', expiration: null, chained: [] }],
              },
            ],
          },
        ],
      },
      {
        signIn: 'saml https://idp.example.com/app/aws/sso',
        profiles: [{ profile: 'other', expiration: null, chained: [] }],
      },
    ]);
  });
});
