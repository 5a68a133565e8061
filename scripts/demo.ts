/**
 * `npm run demo`: fedlogin end to end on this machine, with nothing leaving 127.0.0.1.
 *
 *   1. a local OIDC token issuer, a GitHub-Actions-style ID-token endpoint and fedlogin's STS double
 *   2. `fedlogin web-identity --ci auto --role-arn ...` run as a GitHub Actions job runs it
 *   3. those credentials used through the AWS SDK (GetCallerIdentity)
 *   4. a credential_process profile, called twice through the AWS CLI (or the JS SDK when no
 *      AWS CLI that honours AWS_ENDPOINT_URL_STS is installed): the second call is served from
 *      fedlogin's cache, so STS sees no second AssumeRoleWithWebIdentity
 *
 * Secrets are never printed (access key IDs are masked). Temp dirs and servers are removed even on
 * failure; the exit code is non-zero if any step fails. `--sdk` forces the JS SDK as the consumer.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { getCallerIdentity } from '../test/support/aws/sdkCall.js';
import { type StsEndpoint, startStsEndpoint } from '../test/support/aws/stsEndpoint.js';
import { hermeticEnv, makeTempHome, REPO_ROOT, runCli, type TempHome } from '../test/support/cli/runCli.js';
import { GITHUB_DEFAULT_CLAIMS, startGithubTokenEndpoint } from '../test/support/idp/githubTokenEndpoint.js';
import { startTokenIssuer } from '../test/support/idp/tokenIssuer.js';

const ROLE_ARN = 'arn:aws:iam::123456789012:role/ci';
const REGION = 'us-east-1';
const STEP_TIMEOUT_MS = 60_000;

interface ProcessCredentials {
  Version: number;
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken?: string;
  Expiration: string;
}

class StepFailed extends Error {}

const mask = (accessKeyId: string) => `${accessKeyId.slice(0, 4)}…${accessKeyId.slice(-4)}`;
const say = (line: string) => console.log(line);
const ok = (line: string) => say(`  ✓ ${line}`);
const step = (n: number, title: string) => say(`\n${n}. ${title}`);

function fail(message: string, detail?: string): never {
  throw new StepFailed(detail ? `${message}\n${indent(detail)}` : message);
}

const indent = (text: string) =>
  text
    .trim()
    .split('\n')
    .slice(-12)
    .map((l) => `     ${l}`)
    .join('\n');

function parseCredentials(stdout: string, who: string): ProcessCredentials {
  try {
    const parsed = JSON.parse(stdout) as ProcessCredentials;
    if (parsed.Version === 1 && parsed.AccessKeyId && parsed.SecretAccessKey) return parsed;
  } catch {
    // reported below, without echoing stdout (it would hold secrets)
  }
  return fail(`${who} did not print credential_process JSON`);
}

/** A child process with a time limit, never a shell. */
function run(
  file: string,
  args: string[],
  opts: { env: Record<string, string>; cwd: string },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { ...opts, timeout: STEP_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 8 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr: error && !stderr ? error.message : stderr });
      },
    );
  });
}

interface Consumer {
  name: string;
  getCallerIdentity(env: Record<string, string>): Promise<{ Arn: string }>;
}

/** The machine's `aws`, if it honours AWS_ENDPOINT_URL_STS (CLI v1 with botocore >= 1.31, or v2 >= 2.13). */
async function awsCliConsumer(): Promise<Consumer | undefined> {
  const probe = await run('aws', ['--version'], { env: { ...process.env } as Record<string, string>, cwd: REPO_ROOT });
  const text = `${probe.stdout} ${probe.stderr}`;
  if (probe.code !== 0) return undefined;
  const cli = /aws-cli\/(\d+)\.(\d+)/.exec(text);
  const botocore = /botocore\/(\d+)\.(\d+)/.exec(text);
  if (!cli) return undefined;
  const honoursEndpointEnv =
    cli[1] === '1'
      ? botocore !== null && (Number(botocore[1]) > 1 || Number(botocore[2]) >= 31)
      : Number(cli[1]) > 2 || (cli[1] === '2' && Number(cli[2]) >= 13);
  if (!honoursEndpointEnv) return undefined;
  const version = text.trim().split(/\s+/).slice(0, 1).join('');
  return {
    name: `the AWS CLI (${version})`,
    async getCallerIdentity(env) {
      const result = await run('aws', ['sts', 'get-caller-identity', '--profile', 'demo', '--output', 'json'], {
        env,
        cwd: env.HOME!,
      });
      if (result.code !== 0) fail(`aws sts get-caller-identity exited with ${result.code}`, result.stderr);
      return JSON.parse(result.stdout) as { Arn: string };
    },
  };
}

/** The JS SDK's default credential chain in a fresh Node process, as an application would run it. */
function jsSdkConsumer(): Consumer {
  const code = `
    import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
    const client = new STSClient({ region: process.env.AWS_REGION });
    const { Arn } = await client.send(new GetCallerIdentityCommand({}));
    console.log(JSON.stringify({ Arn }));`;
  return {
    name: 'the AWS SDK for JavaScript (default credential chain, AWS_PROFILE=demo)',
    async getCallerIdentity(env) {
      // cwd = the repository, so that the inline module resolves @aws-sdk/client-sts from it.
      const result = await run(process.execPath, ['--input-type=module', '-e', code], {
        env: { ...env, AWS_PROFILE: 'demo' },
        cwd: REPO_ROOT,
      });
      if (result.code !== 0) fail(`the SDK call exited with ${result.code}`, result.stderr);
      return JSON.parse(result.stdout) as { Arn: string };
    },
  };
}

/** For a credential_process line: botocore splits it with shlex, the JS SDK hands it to a shell. */
const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replace(/(["\\$`])/g, '\\$1')}"`);

async function demo(cleanups: Array<() => Promise<unknown>>): Promise<void> {
  step(1, 'Local services (127.0.0.1 only)');
  const issuer = await startTokenIssuer();
  cleanups.push(() => issuer.close());
  const github = await startGithubTokenEndpoint({ issuer });
  cleanups.push(() => github.close());
  const sts: StsEndpoint = await startStsEndpoint({
    roles: {
      [ROLE_ARN]: {
        trust: { issuer: issuer.url, audiences: ['sts.amazonaws.com'], subjects: ['repo:octo-org/octo-repo:*'] },
      },
    },
  });
  cleanups.push(() => sts.close());
  const home: TempHome = await makeTempHome();
  cleanups.push(() => home.cleanup());
  ok(`OIDC token issuer        ${issuer.url}`);
  ok(`GitHub Actions ID tokens ${new URL(github.requestUrl).origin}`);
  ok(`STS double               ${sts.url} (trusts ${ROLE_ARN} for repo:octo-org/octo-repo:*)`);

  const baseEnv = { HOME: home.home, AWS_REGION: REGION, AWS_ENDPOINT_URL_STS: sts.url };
  const assumeCalls = () => sts.count('AssumeRoleWithWebIdentity');

  step(2, 'fedlogin web-identity --ci auto, as a GitHub Actions job runs it');
  const ciRun = await runCli(['web-identity', '--ci', 'auto', '--role-arn', ROLE_ARN], {
    env: { ...baseEnv, ...github.env },
    timeoutMs: STEP_TIMEOUT_MS,
  });
  if (ciRun.code !== 0)
    fail(`fedlogin web-identity exited with ${ciRun.timedOut ? 'a timeout' : ciRun.code}`, ciRun.stderr);
  const ciCreds = parseCredentials(ciRun.stdout, 'fedlogin web-identity');
  if (github.requests.at(-1)?.audience !== 'sts.amazonaws.com')
    fail('fedlogin did not ask GitHub for a token with audience sts.amazonaws.com');
  ok(`asked the GitHub endpoint for a token (audience sts.amazonaws.com, sub ${GITHUB_DEFAULT_CLAIMS.sub})`);
  ok(
    `STS AssumeRoleWithWebIdentity (${assumeCalls()} in the demo so far) -> ${mask(ciCreds.AccessKeyId)}, expires ${ciCreds.Expiration}`,
  );

  step(3, 'Those credentials, used through the AWS SDK');
  const who = await getCallerIdentity(
    { accessKeyId: ciCreds.AccessKeyId, secretAccessKey: ciCreds.SecretAccessKey, sessionToken: ciCreds.SessionToken },
    sts.url,
    REGION,
  );
  if (!who.Arn?.includes(':assumed-role/ci/')) fail(`GetCallerIdentity answered an unexpected identity: ${who.Arn}`);
  ok(`GetCallerIdentity: ${who.Arn}`);

  step(4, 'A credential_process profile, called twice by an AWS tool');
  const tokenFile = path.join(home.home, 'oidc-token');
  const token = await issuer.sign({ ...GITHUB_DEFAULT_CLAIMS, aud: 'sts.amazonaws.com' }, { expiresInSeconds: 3600 });
  await writeFile(tokenFile, token, { mode: 0o600 });
  const bin = path.join(REPO_ROOT, 'bin', 'fedlogin.js');
  await writeFile(
    home.awsConfigFile,
    [
      '[profile demo]',
      `credential_process = ${quote(process.execPath)} ${quote(bin)} credential-process --profile demo`,
      'fedlogin_flow = web-identity',
      `fedlogin_role_arn = ${ROLE_ARN}`,
      `fedlogin_token_file = ${tokenFile}`,
      `region = ${REGION}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  ok(
    `profile "demo" in ${home.awsConfigFile}: credential_process = node bin/fedlogin.js credential-process --profile demo`,
  );

  const forceSdk = process.argv.includes('--sdk');
  const consumer = (!forceSdk && (await awsCliConsumer())) || jsSdkConsumer();
  // FEDLOGIN_STORE=file keeps the demo off the desktop keychain; the cache lives in the temp HOME.
  const consumerEnv = hermeticEnv(home.home, { ...baseEnv, FEDLOGIN_STORE: 'file' });
  say(`  consumer: ${consumer.name}`);

  for (const attempt of [1, 2]) {
    const assumeBefore = assumeCalls();
    const identityBefore = sts.count('GetCallerIdentity');
    const { Arn } = await consumer.getCallerIdentity(consumerEnv);
    const assumed = assumeCalls() - assumeBefore;
    if (sts.count('GetCallerIdentity') - identityBefore !== 1)
      fail('the GetCallerIdentity call did not reach the STS double');
    if (!Arn?.includes(':assumed-role/ci/')) fail(`GetCallerIdentity answered an unexpected identity: ${Arn}`);
    if (attempt === 1) {
      if (assumed !== 1)
        fail(`expected fedlogin to call AssumeRoleWithWebIdentity once on the first call, saw ${assumed}`);
      ok(`call 1: ${Arn} (fedlogin signed in: 1 AssumeRoleWithWebIdentity, ${assumeCalls()} in the demo so far)`);
    } else {
      if (assumed !== 0)
        fail(
          `the second call should have been served from fedlogin's cache, but STS saw ${assumed} AssumeRoleWithWebIdentity`,
        );
      ok(`call 2: ${Arn} (from fedlogin's cache: 0 AssumeRoleWithWebIdentity, still ${assumeCalls()} in the demo)`);
    }
  }
}

async function main(): Promise<number> {
  // The SDK's Node 20 deprecation notice is not part of the story.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const cleanups: Array<() => Promise<unknown>> = [];
  // Bound the whole demo, whatever hangs.
  const overall = setTimeout(() => {
    console.error('\ndemo: gave up after 3 minutes');
    process.exit(1);
  }, 3 * 60_000);
  overall.unref();
  // Ctrl-C: remove the temp HOME (it holds a token and cached credentials) before leaving.
  const interrupted = (signal: NodeJS.Signals) => {
    console.error(`\ndemo: ${signal}, cleaning up`);
    void Promise.allSettled(cleanups.reverse().map((cleanup) => cleanup())).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  let code = 0;
  try {
    say('fedlogin demo: CI OIDC token -> STS -> AWS SDK, then credential_process with its cache');
    await demo(cleanups);
    say('\nAll steps passed.');
  } catch (error) {
    code = 1;
    console.error(
      `\n  ✗ ${error instanceof StepFailed ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((e: unknown) => {
        code = 1;
        console.error('cleanup failed:', e);
      });
    }
    clearTimeout(overall);
  }
  return code;
}

process.exitCode = await main();
