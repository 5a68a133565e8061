import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getCallerIdentity } from '../support/aws/sdkCall.js';
import { type StsEndpoint, startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { addSamlToSts } from '../support/aws/stsSaml.js';
import { makeTempHome, type RunCliResult, runCli, type TempHome } from '../support/cli/runCli.js';
import { spawnCli } from '../support/cli/spawnCli.js';
import { flowSettings, profileSection, writeAwsConfig } from '../support/harness/builders.js';
import { followAsBrowser } from '../support/harness/followRedirects.js';
import { startScriptedIdp } from '../support/idp/oidcScriptedIdp.js';
import { type SamlIdp, startSamlIdp } from '../support/idp/samlIdp.js';
import { startTokenIssuer, type TokenIssuer } from '../support/idp/tokenIssuer.js';

const CI = 'arn:aws:iam::123456789012:role/ci';
const APP = 'arn:aws:iam::210987654321:role/app';
const DEPLOY = 'arn:aws:iam::333333333333:role/deploy';
const EXTERNAL_ID = 'partner-4711';
const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const DEV = 'arn:aws:iam::123456789012:role/dev';
const PROVIDER = 'arn:aws:iam::123456789012:saml-provider/test-idp';

let issuer: TokenIssuer;
let idp: SamlIdp;
let sts: StsEndpoint;
let home: TempHome;

beforeAll(async () => {
  issuer = await startTokenIssuer();
  idp = await startSamlIdp({ roles: [`${DEV},${PROVIDER}`] });
  sts = await startStsEndpoint({
    roles: {
      [CI]: { trust: { issuer: issuer.url, audiences: ['sts.amazonaws.com'] }, maxSessionDuration: 43_200 },
      [DEV]: {},
      // the trust policy of both hops requires an external ID
      [APP]: { externalId: EXTERNAL_ID, maxSessionDuration: 43_200 },
      [DEPLOY]: { externalId: 'deploy-0815' },
    },
  });
  addSamlToSts(sts, { providers: { [PROVIDER]: { certPem: idp.certPem } } });
});
afterAll(async () => {
  await Promise.all([issuer?.close(), idp?.close(), sts?.close()]);
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

describe('fedlogin_chain_role_arn on a flow profile, with fedlogin_chain_external_id', () => {
  const chained = async (ids: string) =>
    writeAwsConfig(
      home,
      profileSection('ci', {
        ...flowSettings.webIdentity({ roleArn: CI, tokenFile: await tokenFile() }),
        fedlogin_chain_role_arn: `${APP}, ${DEPLOY}`,
        fedlogin_chain_external_id: ids,
      }),
    );

  it('two hops, each with its external ID, after the flow; the flow step is cached on its own', async () => {
    await chained(`${EXTERNAL_ID}, deploy-0815`);
    const first = processJson(await cli(['credential-process', '--profile', 'ci']));
    expect(actions()).toEqual([
      `AssumeRoleWithWebIdentity ${CI}`,
      `AssumeRole ${APP} ${EXTERNAL_ID}`,
      `AssumeRole ${DEPLOY} deploy-0815`,
    ]);
    expect(sts.issued[2]!.accessKeyId).toBe(first.AccessKeyId);
    expect(sts.issued[2]!.sourceAccessKeyId).toBe(sts.issued[1]!.accessKeyId);
    sts.reset();
    expect(processJson(await cli(['credential-process', '--profile', 'ci'])).AccessKeyId).toBe(first.AccessKeyId);
    expect(sts.requests).toHaveLength(0);
    // `fedlogin login` renews the profile's hops and its flow step
    const login = await cli(['login', '--profile', 'ci']);
    expect(login.code, login.stderr).toBe(0);
    expect(sts.issued).toHaveLength(3);
    // logout forgets the flow step too: the next use signs in again instead of reusing it for the hops
    expect((await cli(['logout', '--profile', 'ci'])).code).toBe(0);
    sts.reset();
    processJson(await cli(['credential-process', '--profile', 'ci']));
    expect(actions()[0]).toBe(`AssumeRoleWithWebIdentity ${CI}`);
    expect(sts.issued).toHaveLength(3);
  });

  it('the wrong external ID is refused by STS: exit 3, one line naming the role', async () => {
    await chained(`${EXTERNAL_ID} deploy-4711`);
    const result = await cli(['credential-process', '--profile', 'ci']);
    expect(result.code, result.stderr).toBe(3);
    expect(
      result.stderr
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('fedlogin:')),
    ).toEqual([expect.stringMatching(/STS refused AssumeRole for arn:aws:iam::333333333333:role\/deploy/)]);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(sts.requests.at(-1)!.notes.denied).toMatch(/ExternalId deploy-4711 does not match/);
    expect(result.stdout).toBe('');
  });

  it('a missing one is refused by STS too (- marks a hop without one)', async () => {
    await chained(`${EXTERNAL_ID} -`);
    const result = await cli(['credential-process', '--profile', 'ci']);
    expect(result.code).toBe(3);
    expect(sts.requests.at(-1)!.notes.denied).toMatch(/ExternalId \(none\)/);
  });

  it('IDs STS would not take, or not one per hop, are refused before any call (exit 2, one line)', async () => {
    for (const [ids, message] of [
      [
        `${EXTERNAL_ID}`,
        /fedlogin_chain_external_id.*1 external ID for 2 fedlogin_chain_role_arn hops: give one per hop/,
      ],
      [`${EXTERNAL_ID} x`, /the external ID of hop 2 is 1 character long/],
      [`${EXTERNAL_ID} deploy#0815`, /the external ID of hop 2 contains "#", which STS does not allow/],
    ] as const) {
      await chained(ids);
      const result = await cli(['credential-process', '--profile', 'ci']);
      expect(result.code, ids).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n').length, result.stderr).toBeLessThanOrEqual(2);
    }
    expect(sts.requests).toHaveLength(0);
  });
});

describe("a flow's own command with --profile goes through the profile's hops", () => {
  const tokenFlags = async () => ['--token-file', await tokenFile()];

  it('web-identity --profile deploy: the sign-in, then app and deploy; every profile of the chain is cached', async () => {
    await writeChain();
    const result = await cli(['web-identity', '--profile', 'deploy']);
    const json = processJson(result);
    expect(actions()).toEqual([
      `AssumeRoleWithWebIdentity ${CI}`,
      `AssumeRole ${APP} ${EXTERNAL_ID}`,
      `AssumeRole ${DEPLOY} deploy-0815`,
    ]);
    expect(json.AccessKeyId).toBe(sts.issued[2]!.accessKeyId);
    expect(result.stderr).toMatch(
      /Profile deploy: deploy -> app -> ci \(web-identity\), then AssumeRole arn:aws:iam::210987654321:role\/app \(external ID\) -> arn:aws:iam::333333333333:role\/deploy \(external ID\); cached for 3 profiles deploy, app, ci\. The credentials expire at /,
    );
    // the chain's one-hour cap is said as on every path
    expect(result.stderr).toMatch(/Role chaining is limited to 3600 s by AWS; .*role\/app gets 3600 s/);
    const [ci, app] = sts.issued;
    sts.reset();
    expect(processJson(await cli(['credential-process', '--profile', 'deploy'])).AccessKeyId).toBe(json.AccessKeyId);
    expect(processJson(await cli(['credential-process', '--profile', 'app'])).AccessKeyId).toBe(app!.accessKeyId);
    expect(processJson(await cli(['credential-process', '--profile', 'ci'])).AccessKeyId).toBe(ci!.accessKeyId);
    expect(sts.requests).toHaveLength(0);
  });

  it('web-identity --profile ci applies its fedlogin_chain_role_arn hops with their external IDs, cached', async () => {
    await writeAwsConfig(
      home,
      profileSection('ci', {
        ...flowSettings.webIdentity({ roleArn: CI, tokenFile: await tokenFile() }),
        fedlogin_chain_role_arn: APP,
        fedlogin_chain_external_id: EXTERNAL_ID,
      }),
    );
    const json = processJson(await cli(['web-identity', '--profile', 'ci', '--output', 'credential-process']));
    expect(actions()).toEqual([`AssumeRoleWithWebIdentity ${CI}`, `AssumeRole ${APP} ${EXTERNAL_ID}`]);
    sts.reset();
    expect(processJson(await cli(['credential-process', '--profile', 'ci'])).AccessKeyId).toBe(json.AccessKeyId);
    expect(sts.requests).toHaveLength(0);
  });

  it('a flag that changes the sign-in (--role-arn, --token-file) keeps the hops but caches nothing', async () => {
    await writeChain();
    const result = await cli(['web-identity', '--profile', 'app', '--role-arn', CI, ...(await tokenFlags())]);
    const json = processJson(result);
    expect(actions()).toEqual([`AssumeRoleWithWebIdentity ${CI}`, `AssumeRole ${APP} ${EXTERNAL_ID}`]);
    expect(json.AccessKeyId).toBe(sts.issued[1]!.accessKeyId);
    expect(result.stderr).toMatch(/not cached: --role-arn, --token-file change what profile ci signs in as\./);
    sts.reset();
    // the profile's own path still logs in: nothing of the flagged run was cached as the profile's
    expect(processJson(await cli(['credential-process', '--profile', 'app'])).AccessKeyId).not.toBe(json.AccessKeyId);
    expect(actions()).toHaveLength(2);
  });

  it('--policy-arn narrows the last hop of the chain, not the sign-in', async () => {
    await writeChain();
    processJson(await cli(['web-identity', '--profile', 'app', '--policy-arn', READ_ONLY]));
    expect(sts.issued.map((c) => c.policyArns)).toEqual([[], [READ_ONLY]]);
  });

  it('saml --profile app --assertion-file: AssumeRoleWithSAML for the source profile, then the hop', async () => {
    await writeAwsConfig(
      home,
      profileSection('corp', {
        fedlogin_flow: 'saml',
        fedlogin_idp_url: 'https://idp.example.com/app/aws/sso',
        fedlogin_role_arn: DEV,
      }),
      profileSection('app', { role_arn: APP, source_profile: 'corp', external_id: EXTERNAL_ID }),
    );
    const file = join(home.home, 'response.b64');
    await writeFile(file, await idp.signedResponse('alice'));
    const result = await cli(['saml', '--profile', 'app', '--assertion-file', file]);
    const json = processJson(result);
    expect(actions()).toEqual([`AssumeRoleWithSAML ${DEV}`, `AssumeRole ${APP} ${EXTERNAL_ID}`]);
    expect(json.AccessKeyId).toBe(sts.issued[1]!.accessKeyId);
    expect(result.stderr).toMatch(/Assumed arn:aws:iam::123456789012:role\/dev; /);
    expect(result.stderr).toMatch(
      /Profile app: app -> corp \(saml\), then AssumeRole .*role\/app \(external ID\); cached for 2 profiles app, corp\./,
    );
    sts.reset();
    // no sign-in needed afterwards: the profile and its source are fresh in the cache
    expect(processJson(await cli(['credential-process', '--profile', 'app'])).AccessKeyId).toBe(json.AccessKeyId);
    expect(sts.requests).toHaveLength(0);
  });

  it('oidc --profile app: the browser sign-in of the source profile, then the hop; both cached', async () => {
    const scripted = await startScriptedIdp();
    const OIDC_DEV = 'arn:aws:iam::123456789012:role/oidc-dev';
    sts.roles[OIDC_DEV] = { trust: { issuer: scripted.issuer, audiences: [scripted.clientId] } };
    try {
      await writeAwsConfig(
        home,
        profileSection('dev', {
          ...flowSettings.oidc({ issuer: scripted.issuer, clientId: scripted.clientId, roleArn: OIDC_DEV }),
          fedlogin_store: 'file',
        }),
        profileSection('app', { role_arn: APP, source_profile: 'dev', external_id: EXTERNAL_ID }),
      );
      const run = spawnCli(['oidc', '--profile', 'app', '--no-browser'], {
        home: home.home,
        env: { ...home.env, AWS_ENDPOINT_URL_STS: sts.url, AWS_REGION: 'us-east-1', FEDLOGIN_STORE: 'file' },
        timeoutMs: 60_000,
      });
      const [, url] = await run.waitForStderr(/(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)/);
      expect((await followAsBrowser(url!)).status).toBe(200);
      const result = await run.result;
      const json = processJson(result);
      expect(actions()).toEqual([`AssumeRoleWithWebIdentity ${OIDC_DEV}`, `AssumeRole ${APP} ${EXTERNAL_ID}`]);
      expect(json.AccessKeyId).toBe(sts.issued[1]!.accessKeyId);
      expect(result.stderr).toMatch(
        /Profile app: app -> dev \(oidc\), then AssumeRole .*; cached for 2 profiles app, dev\./,
      );
      sts.reset();
      expect(processJson(await cli(['credential-process', '--profile', 'app'])).AccessKeyId).toBe(json.AccessKeyId);
      expect(sts.requests).toHaveLength(0);
    } finally {
      delete sts.roles[OIDC_DEV];
      await scripted.close();
    }
  });

  it('a chained profile of another flow, or a broken chain, is refused before any sign-in (exit 2, one line)', async () => {
    await writeChain();
    await writeFile(
      home.awsConfigFile,
      `${await readFile(home.awsConfigFile, 'utf8')}\n${profileSection('loop', { role_arn: APP, source_profile: 'loop' }).join('\n')}\n`,
    );
    const cases: [string[], RegExp][] = [
      [
        ['saml', '--profile', 'deploy', '--assertion-file', '/nonexistent'],
        /Profile deploy signs in with the web-identity flow \(deploy -> app -> ci \(web-identity\), then AssumeRole .*\), not saml\./,
      ],
      [['oidc', '--profile', 'app'], /Profile app signs in with the web-identity flow .*, not oidc\./],
      [['web-identity', '--profile', 'loop'], /The profiles form a cycle: loop -> loop\./],
      [
        ['web-identity', '--profile', 'app', '--chain-role-arn', DEPLOY],
        /--chain-role-arn gives the hops, and profile app chains through source_profile: leave out one of them\./,
      ],
    ];
    for (const [args, message] of cases) {
      const result = await cli(args);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n').length, result.stderr).toBeLessThanOrEqual(2);
    }
    expect(sts.requests).toHaveLength(0);
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
