import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { motoForSuite } from '../support/aws/moto.js';
import { getCallerIdentity } from '../support/aws/sdkCall.js';
import { type StsEndpoint, startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { makeTempHome, type RunCliResult, runCli } from '../support/cli/runCli.js';
import { flowSettings, profileSection, writeAwsConfig } from '../support/harness/builders.js';
import { describeWith } from '../support/harness/component.js';
import {
  type AzureDevOpsTokenEndpoint,
  startAzureDevOpsTokenEndpoint,
} from '../support/idp/azureDevOpsTokenEndpoint.js';
import { writeFakeBuildkiteAgent } from '../support/idp/fakeBuildkiteAgent.js';
import { type GithubTokenEndpoint, startGithubTokenEndpoint } from '../support/idp/githubTokenEndpoint.js';
import { startTokenIssuer, type TokenIssuer } from '../support/idp/tokenIssuer.js';

const ROLE = 'arn:aws:iam::123456789012:role/ci';
const SECOND_ROLE = 'arn:aws:iam::210987654321:role/deploy';
const CIRCLE_ORG = '8a7f4b2e-5c1d-4e3f-9a8b-7c6d5e4f3a2b';

let issuer: TokenIssuer;
let sts: StsEndpoint;
let github: GithubTokenEndpoint;
let azure: AzureDevOpsTokenEndpoint;
let scratch: string;

beforeAll(async () => {
  issuer = await startTokenIssuer();
  github = await startGithubTokenEndpoint({ issuer });
  azure = await startAzureDevOpsTokenEndpoint({ issuer });
  sts = await startStsEndpoint({
    roles: {
      [ROLE]: {
        trust: {
          issuer: issuer.url,
          audiences: ['sts.amazonaws.com', CIRCLE_ORG, 'api://AzureADTokenExchange'],
          subjects: [
            'repo:octo-org/octo-repo:*',
            'project_path:*',
            'org/*',
            'organization:*',
            '{*',
            'p://*',
            'sc://*',
            'system:serviceaccount:*',
          ],
        },
      },
      [SECOND_ROLE]: {},
    },
  });
  scratch = await mkdtemp(path.join(tmpdir(), 'fedlogin-wi-'));
});

afterAll(async () => {
  await Promise.all([sts?.close(), github?.close(), azure?.close(), issuer?.close()]);
  await rm(scratch, { recursive: true, force: true });
});

const stsEnv = () => ({ AWS_ENDPOINT_URL_STS: sts.url, AWS_REGION: 'us-east-1' });

/** Every secret the servers issued, for the leak check on each run's output. */
function expectNoSecrets(result: RunCliResult, extra: string[] = []) {
  const secrets = [...sts.secrets(), ...issuer.issued, github.requestToken, azure.accessToken, ...extra];
  for (const secret of secrets) {
    expect(result.stderr).not.toContain(secret);
  }
}

function parseProcessJson(result: RunCliResult) {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const json = JSON.parse(result.stdout) as Record<string, unknown>;
  expect(json.Version).toBe(1);
  expect(json.Expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  return {
    accessKeyId: json.AccessKeyId as string,
    secretAccessKey: json.SecretAccessKey as string,
    sessionToken: json.SessionToken as string,
  };
}

async function tokenFile(claims: Record<string, unknown>, expiresInSeconds = 600): Promise<string> {
  const file = path.join(scratch, `token-${Math.random().toString(36).slice(2)}`);
  await writeFile(file, await issuer.sign(claims, { expiresInSeconds }), { mode: 0o600 });
  return file;
}

describe('fedlogin web-identity: each CI token source as its CI documents it', () => {
  it('GitHub Actions: asks the token request URL for the audience and assumes the role', async () => {
    // A job's environment: the OIDC request variables plus the run metadata GitHub always sets.
    const jobEnv = { ...github.env, CI: 'true', GITHUB_RUN_ID: '1234567890', GITHUB_REPOSITORY: 'octo-org/octo-repo' };
    const result = await runCli(['web-identity', '--ci', 'auto', '--role-arn', ROLE], {
      env: { ...jobEnv, ...stsEnv() },
    });
    const creds = parseProcessJson(result);
    expect(github.requests.at(-1)).toMatchObject({ audience: 'sts.amazonaws.com', authorized: true });
    const request = sts.requests.filter((r) => r.action === 'AssumeRoleWithWebIdentity').at(-1)!;
    expect(request.params.RoleSessionName).toBe('github-1234567890-octo-org-octo-repo');
    const identity = await getCallerIdentity(creds, sts.url);
    expect(identity.Arn).toContain('assumed-role/ci/');
    expectNoSecrets(result);
  });

  it('GitLab CI: reads the id_tokens variable the job declares', async () => {
    const token = await issuer.sign({
      sub: 'project_path:group/app:ref_type:branch:ref:main',
      aud: 'sts.amazonaws.com',
    });
    const result = await runCli(['web-identity', '--ci', 'auto', '--role-arn', ROLE], {
      env: { GITLAB_CI: 'true', CI_JOB_ID: '991', CI_PROJECT_PATH: 'group/app', GITLAB_OIDC_TOKEN: token, ...stsEnv() },
    });
    parseProcessJson(result);
    expect(sts.requests.at(-1)!.params.RoleSessionName).toBe('gitlab-991-group-app');
    // A variable of another name, as named in the job's id_tokens:
    const named = await runCli(['web-identity', '--ci', 'gitlab', '--token-env', 'MY_AWS_TOKEN', '--role-arn', ROLE], {
      env: { MY_AWS_TOKEN: token, ...stsEnv() },
    });
    parseProcessJson(named);
  });

  it('CircleCI: CIRCLE_OIDC_TOKEN_V2, whose audience is the organisation ID', async () => {
    const token = await issuer.sign({ sub: `org/${CIRCLE_ORG}/project/p/user/u`, aud: CIRCLE_ORG });
    const result = await runCli(['web-identity', '--ci', 'auto', '--role-arn', ROLE], {
      env: { CIRCLECI: 'true', CIRCLE_OIDC_TOKEN_V2: token, CIRCLE_OIDC_TOKEN: 'not-this-one', ...stsEnv() },
    });
    parseProcessJson(result);
  });

  it('Buildkite: runs `buildkite-agent oidc request-token --audience AUD`', async () => {
    const bin = await mkdtemp(path.join(scratch, 'bk-'));
    const agent = await writeFakeBuildkiteAgent(bin, issuer);
    const result = await runCli(['web-identity', '--ci', 'auto', '--role-arn', ROLE], {
      env: { BUILDKITE: 'true', PATH: `${bin}:${process.env.PATH}`, ...stsEnv() },
    });
    parseProcessJson(result);
    expect(await agent.calls()).toEqual([['oidc', 'request-token', '--audience', 'sts.amazonaws.com']]);
  });

  it('Bitbucket Pipelines: BITBUCKET_STEP_OIDC_TOKEN of a step with oidc: true', async () => {
    const token = await issuer.sign({ sub: '{repo-uuid}:{step-uuid}', aud: 'sts.amazonaws.com' });
    const result = await runCli(['web-identity', '--ci', 'auto', '--role-arn', ROLE], {
      env: { BITBUCKET_BUILD_NUMBER: '17', BITBUCKET_REPO_SLUG: 'app', BITBUCKET_STEP_OIDC_TOKEN: token, ...stsEnv() },
    });
    parseProcessJson(result);
    const missing = await runCli(['web-identity', '--ci', 'bitbucket', '--role-arn', ROLE], {
      env: { BITBUCKET_BUILD_NUMBER: '17', ...stsEnv() },
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('oidc: true');
  });

  it('Azure DevOps: POSTs to SYSTEM_OIDCREQUESTURI with the job access token', async () => {
    const result = await runCli(['web-identity', '--ci', 'auto', '--role-arn', ROLE], {
      env: { ...azure.env, ...stsEnv() },
    });
    parseProcessJson(result);
    expect(azure.requests.at(-1)).toMatchObject({ authorized: true });
    expectNoSecrets(result);
  });

  it('Kubernetes (IRSA): AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE, no flags needed but --ci', async () => {
    const file = await tokenFile({ sub: 'system:serviceaccount:prod:app', aud: 'sts.amazonaws.com' });
    const result = await runCli(['web-identity', '--ci', 'auto'], {
      env: { AWS_ROLE_ARN: ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: file, ...stsEnv() },
    });
    parseProcessJson(result);
    expect(sts.requests.at(-1)!.params.RoleSessionName).toBe('system-serviceaccount-prod-app');
  });

  it('--token-stdin and --token-file (re-read on every call)', async () => {
    const token = await issuer.sign({ sub: 'repo:octo-org/octo-repo:ref:refs/heads/main', aud: 'sts.amazonaws.com' });
    parseProcessJson(
      await runCli(['web-identity', '--token-stdin', '--role-arn', ROLE], { input: token, env: stsEnv() }),
    );
    const file = await tokenFile({ sub: 'repo:octo-org/octo-repo:ref:refs/heads/a', aud: 'sts.amazonaws.com' });
    parseProcessJson(await runCli(['web-identity', '--token-file', file, '--role-arn', ROLE], { env: stsEnv() }));
    expect(sts.requests.at(-1)!.params.RoleSessionName).toBe('repo-octo-org-octo-repo-ref-refs-heads-a');
    await writeFile(
      file,
      await issuer.sign({ sub: 'repo:octo-org/octo-repo:ref:refs/heads/b', aud: 'sts.amazonaws.com' }),
    );
    parseProcessJson(await runCli(['web-identity', '--token-file', file, '--role-arn', ROLE], { env: stsEnv() }));
    expect(sts.requests.at(-1)!.params.RoleSessionName).toBe('repo-octo-org-octo-repo-ref-refs-heads-b');
  });
});

describe('fedlogin web-identity: chaining and outputs', () => {
  it('--chain-role-arn assumes the next role with the first credentials, capped at one hour with a notice', async () => {
    const file = await tokenFile({ sub: 'repo:octo-org/octo-repo:ref:refs/heads/main', aud: 'sts.amazonaws.com' });
    sts.roles[ROLE]!.maxSessionDuration = 43_200;
    try {
      const result = await runCli(
        ['web-identity', '--token-file', file, '--role-arn', ROLE, '--chain-role-arn', SECOND_ROLE, '--duration', '2h'],
        {
          env: stsEnv(),
        },
      );
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/Role chaining is limited to 3600 s/);
      const creds = JSON.parse(result.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
      const identity = await getCallerIdentity(
        { accessKeyId: creds.AccessKeyId, secretAccessKey: creds.SecretAccessKey, sessionToken: creds.SessionToken },
        sts.url,
      );
      expect(identity.Arn).toContain('arn:aws:sts::210987654321:assumed-role/deploy/');
      const assumeRole = sts.requests.filter((r) => r.action === 'AssumeRole').at(-1)!;
      expect(assumeRole.params.DurationSeconds).toBe('3600');
    } finally {
      delete sts.roles[ROLE]!.maxSessionDuration;
    }
  });

  it('a duration above the role maximum is retried once with 3600 s, with a notice', async () => {
    const file = await tokenFile({ sub: 'repo:octo-org/octo-repo:ref:refs/heads/main', aud: 'sts.amazonaws.com' });
    const result = await runCli(['web-identity', '--token-file', file, '--role-arn', ROLE, '--duration', '12h'], {
      env: stsEnv(),
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/does not allow 43200 s sessions.*using 3600 s/);
  });

  it('--output env --format sh is eval-able by a real shell', async () => {
    const file = await tokenFile({ sub: 'repo:octo-org/octo-repo:ref:refs/heads/main', aud: 'sts.amazonaws.com' });
    const result = await runCli(
      ['web-identity', '--token-file', file, '--role-arn', ROLE, '--output', 'env', '--format', 'sh'],
      { env: stsEnv() },
    );
    expect(result.code).toBe(0);
    const printed = execFileSync(
      '/bin/sh',
      ['-c', `${result.stdout}\nprintf '%s\\n' "$AWS_ACCESS_KEY_ID" "$AWS_REGION"`],
      { encoding: 'utf8' },
    );
    const [keyId, region] = printed.trim().split('\n');
    expect(keyId).toBe(sts.issued.at(-1)!.accessKeyId);
    expect(region).toBe('us-east-1');
  });

  it('--output github masks the secrets on stdout and appends them to $GITHUB_ENV', async () => {
    const envFile = path.join(scratch, 'github-env');
    await writeFile(envFile, 'EXISTING=1\n');
    const result = await runCli(['web-identity', '--ci', 'github', '--role-arn', ROLE, '--output', 'github'], {
      env: { ...github.env, GITHUB_ENV: envFile, ...stsEnv() },
    });
    expect(result.code).toBe(0);
    const issued = sts.issued.at(-1)!;
    expect(result.stdout).toContain(`::add-mask::${issued.secretAccessKey}\n`);
    expect(result.stdout).toContain(`::add-mask::${issued.sessionToken}\n`);
    const written = await readFile(envFile, 'utf8');
    expect(written.startsWith('EXISTING=1\n')).toBe(true);
    expect(written).toContain(`AWS_ACCESS_KEY_ID=${issued.accessKeyId}\n`);
    expect(written).toContain(`AWS_SECRET_ACCESS_KEY=${issued.secretAccessKey}\n`);
    expectNoSecrets(result);
  });
});

describe('fedlogin web-identity: errors are one clear line with the right exit code and no secret', () => {
  const assertOneError = (result: RunCliResult, code: number, pattern: RegExp) => {
    expect(result.code).toBe(code);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^fedlogin: /);
    expect(lines[0]).toMatch(pattern);
    expect(lines.length).toBeLessThanOrEqual(2); // the message and one hint line
    expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
    expectNoSecrets(result);
  };

  it('missing role ARN -> 2', async () => {
    const file = await tokenFile({ sub: 's', aud: 'sts.amazonaws.com' });
    assertOneError(await runCli(['web-identity', '--token-file', file], { env: stsEnv() }), 2, /No role to assume/);
  });

  it('unreadable token file -> 2', async () => {
    const file = await tokenFile({ sub: 's', aud: 'sts.amazonaws.com' });
    await chmod(file, 0o000);
    const missing = await runCli(['web-identity', '--token-file', path.join(scratch, 'nope'), '--role-arn', ROLE], {
      env: stsEnv(),
    });
    assertOneError(missing, 2, /Cannot read the token file .*nope \(ENOENT\)/);
    if (process.getuid?.() !== 0) {
      assertOneError(
        await runCli(['web-identity', '--token-file', file, '--role-arn', ROLE], { env: stsEnv() }),
        2,
        /EACCES/,
      );
    }
  });

  it('an empty token file -> 2, said as empty (not "not a JWT"), naming where its path came from', async () => {
    const file = path.join(scratch, 'empty-token');
    await writeFile(file, '\n');
    const flag = await runCli(['web-identity', '--token-file', file, '--role-arn', ROLE], { env: stsEnv() });
    assertOneError(flag, 2, /The token file .*empty-token \(from --token-file\) is empty\./);
    expect(flag.stderr).not.toContain('JWT');

    // through a profile: login names the profile's key, not a flag nobody typed
    const home = await makeTempHome();
    try {
      await writeAwsConfig(home, profileSection('ci', flowSettings.webIdentity({ roleArn: ROLE, tokenFile: file })));
      const env = { ...home.env, ...stsEnv(), FEDLOGIN_STORE: 'file' };
      const empty = await runCli(['login', '--profile', 'ci'], { env });
      assertOneError(empty, 2, /\(from fedlogin_token_file in profile ci\) is empty\./);
      expect(empty.stderr).not.toContain('--token-file');

      await writeAwsConfig(
        home,
        profileSection('ci', flowSettings.webIdentity({ roleArn: ROLE, tokenFile: path.join(scratch, 'nope') })),
      );
      const missing = await runCli(['login', '--profile', 'ci'], { env });
      assertOneError(missing, 2, /Cannot read the token file .*nope \(ENOENT\)/);
      expect(missing.stderr).toContain('Check the path given to fedlogin_token_file in profile ci');
      expect(missing.stderr).not.toContain('--token-file');
    } finally {
      await home.cleanup();
    }
  });

  it('a token that is not a JWT -> 2, without echoing it', async () => {
    const file = path.join(scratch, 'not-a-jwt');
    await writeFile(file, 'this-is-not-a-jwt-secret-value');
    const result = await runCli(['web-identity', '--token-file', file, '--role-arn', ROLE], { env: stsEnv() });
    assertOneError(result, 2, /is not a JWT/);
    expect(result.stderr).not.toContain('this-is-not-a-jwt-secret-value');
  });

  it('an expired token -> 3, described by its claims', async () => {
    const before = sts.count('AssumeRoleWithWebIdentity');
    const file = await tokenFile(
      { sub: 'repo:octo-org/octo-repo:ref:refs/heads/main', aud: 'sts.amazonaws.com' },
      -3600,
    );
    const result = await runCli(['web-identity', '--token-file', file, '--role-arn', ROLE], { env: stsEnv() });
    assertOneError(result, 3, /expired at .*sub=repo:octo-org\/octo-repo/);
    expect(sts.count('AssumeRoleWithWebIdentity')).toBe(before); // refused before bothering STS
  });

  it('a token that expired moments ago is refused by STS -> 3 as well', async () => {
    const file = await tokenFile({ sub: 'repo:octo-org/octo-repo:ref:refs/heads/main', aud: 'sts.amazonaws.com' }, -30);
    assertOneError(
      await runCli(['web-identity', '--token-file', file, '--role-arn', ROLE], { env: stsEnv() }),
      3,
      /expired/,
    );
  });

  it('audience not trusted by the role -> 3, showing role, iss, aud, sub and exp with a trust hint', async () => {
    const file = await tokenFile({
      sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
      aud: 'https://github.com/octo-org',
    });
    const result = await runCli(['web-identity', '--token-file', file, '--role-arn', ROLE], { env: stsEnv() });
    assertOneError(result, 3, /STS refused AssumeRoleWithWebIdentity for arn:aws:iam::123456789012:role\/ci/);
    expect(result.stderr).toContain('aud=https://github.com/octo-org');
    expect(result.stderr).toContain(`iss=${issuer.url}`);
    expect(result.stderr).toContain('sub=repo:octo-org/octo-repo:ref:refs/heads/main');
    expect(result.stderr).toMatch(/exp=\d{4}-/);
    expect(result.stderr).toMatch(/trust policy/);
  });

  it('throttled three times, then success -> 0, four requests, a notice per retry', async () => {
    const file = await tokenFile({ sub: 'repo:octo-org/octo-repo:ref:refs/heads/main', aud: 'sts.amazonaws.com' });
    const before = sts.count('AssumeRoleWithWebIdentity');
    sts.throttleNext(3, 'AssumeRoleWithWebIdentity');
    const result = await runCli(['web-identity', '--token-file', file, '--role-arn', ROLE], { env: stsEnv() });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).Version).toBe(1);
    expect(sts.count('AssumeRoleWithWebIdentity') - before).toBe(4);
    expect(result.stderr.match(/Throttling.*retrying/g)).toHaveLength(3);
    expectNoSecrets(result);
  });

  it('AccessDenied is not retried', async () => {
    const file = await tokenFile({ sub: 'repo:someone-else/repo:ref:refs/heads/main', aud: 'sts.amazonaws.com' });
    const before = sts.count('AssumeRoleWithWebIdentity');
    assertOneError(
      await runCli(['web-identity', '--token-file', file, '--role-arn', ROLE], { env: stsEnv() }),
      3,
      /Not authorized/,
    );
    expect(sts.count('AssumeRoleWithWebIdentity') - before).toBe(1);
  });

  it('STS unreachable -> 4 after bounded retries', async () => {
    const file = await tokenFile({ sub: 's', aud: 'sts.amazonaws.com' });
    const closed = await startStsEndpoint({ roles: {} });
    const url = closed.url;
    await closed.close();
    const result = await runCli(['web-identity', '--token-file', file, '--role-arn', ROLE], {
      env: { AWS_ENDPOINT_URL_STS: url, AWS_REGION: 'us-east-1' },
    });
    assertOneError(
      result.stderr.includes('retrying')
        ? {
            ...result,
            stderr: result.stderr
              .split('\n')
              .filter((l) => !l.includes('retrying'))
              .join('\n'),
          }
        : result,
      4,
      /Could not reach STS at http:\/\/127\.0\.0\.1/,
    );
  });

  it('an unknown --ci value and conflicting sources -> 2', async () => {
    assertOneError(
      await runCli(['web-identity', '--ci', 'jenkins', '--role-arn', ROLE]),
      2,
      /Unknown --ci value "jenkins"/,
    );
    assertOneError(await runCli(['web-identity', '--ci', 'auto', '--role-arn', ROLE]), 2, /Could not tell which CI/);
    assertOneError(
      await runCli(['web-identity', '--token-stdin', '--token-file', 'x', '--role-arn', ROLE]),
      2,
      /one token source/,
    );
  });

  it('GitHub without id-token permission -> 2 with the workflow fix', async () => {
    assertOneError(
      await runCli(['web-identity', '--ci', 'github', '--role-arn', ROLE], { env: { GITHUB_ACTIONS: 'true' } }),
      2,
      /ACTIONS_ID_TOKEN_REQUEST_URL/,
    );
  });
});

describeWith(['moto_server'], 'fedlogin web-identity against moto (interop)', () => {
  const moto = motoForSuite();

  it('a GitHub-Actions-style job gets credential_process JSON whose keys work for GetCallerIdentity', async () => {
    const result = await runCli(['web-identity', '--ci', 'auto', '--role-arn', ROLE], {
      env: { ...github.env, CI: 'true', AWS_ENDPOINT_URL_STS: moto.url, AWS_REGION: 'us-east-1' },
    });
    const creds = parseProcessJson(result);
    expect(creds.accessKeyId).toMatch(/^ASIA/);
    const identity = await getCallerIdentity(creds, moto.url);
    expect(identity.Account).toBe('123456789012');
    expect(identity.Arn).toMatch(/assumed-role\/ci\//);
  });
});
