import { expect } from 'vitest';
import { motoForSuite } from '../support/aws/moto.js';
import { spawnCli } from '../support/cli/spawnCli.js';
import { type ComponentName, componentPath, describeWith, itWith } from '../support/harness/component.js';
import { ageCachedCredentials, PROFILE, startWebIdentityProfile, type WebIdentityProfile } from './exec.support.js';

/**
 * Real consumers take credentials from `fedlogin exec --server`'s endpoint: the machine's Python
 * AWS CLI v1, Debian's AWS CLI v2.9 (which ignores AWS_ENDPOINT_URL_STS: --endpoint-url), boto3
 * and the JS SDK's default chain. Each runs as a new process inside one long-lived child (a shell
 * reading commands from stdin), so the endpoint is what carries fresh credentials across expiry.
 *
 * Expiry, deterministically: the STS double is told the first keys expired (any call signed with
 * them gets ExpiredToken) and the cache entry is aged into the refresh window through the store
 * API. The next call must succeed at the STS double, signed with new keys.
 */

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

// One line each: the child reads one command per line.
const BOTO3 =
  "import boto3, json, sys; client = boto3.session.Session().client('sts', endpoint_url=sys.argv[1]); " +
  "print(json.dumps({'Arn': client.get_caller_identity()['Arn']}))";

const JS_SDK =
  "import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts'; " +
  'const client = new STSClient({ endpoint: process.argv[1], maxAttempts: 1 }); ' +
  'const out = await client.send(new GetCallerIdentityCommand({})); ' +
  'console.log(JSON.stringify({ Arn: out.Arn }));';

interface Consumer {
  name: string;
  needs: ComponentName[];
  /** a shell command that calls GetCallerIdentity at `url` and prints JSON with Arn */
  command(url: string): string;
}

const consumers: Consumer[] = [
  {
    name: 'AWS CLI v1 (Python, on PATH)',
    needs: ['moto_server', 'aws-cli-v1'],
    command: (url) =>
      `${q(componentPath('aws-cli-v1'))} sts get-caller-identity --endpoint-url ${q(url)} --output json`,
  },
  {
    name: 'AWS CLI v2 (Debian, /usr/bin/aws)',
    needs: ['moto_server', 'aws-cli-v2'],
    command: (url) =>
      `${q(componentPath('aws-cli-v2'))} sts get-caller-identity --endpoint-url ${q(url)} --output json`,
  },
  {
    name: 'boto3',
    needs: ['moto_server', 'boto3'],
    command: (url) => `${q(componentPath('boto3'))} -c ${q(BOTO3)} ${q(url)}`,
  },
  {
    name: 'JS SDK v3 default chain',
    needs: ['moto_server', 'npm:@aws-sdk/client-sts'],
    command: (url) => `${q(process.execPath)} --input-type=module -e ${q(JS_SDK)} ${q(url)}`,
  },
];

const LOOP = 'i=0; while IFS= read -r line; do i=$((i+1)); sh -c "$line"; echo "@@done-$i $?"; done';

describeWith(['moto_server'], 'fedlogin exec --server with real AWS consumers', () => {
  const moto = motoForSuite();

  for (const consumer of consumers) {
    itWith(
      consumer.needs,
      `${consumer.name} gets credentials from the endpoint, and fresh ones after expiry`,
      async () => {
        const setup: WebIdentityProfile = await startWebIdentityProfile({ durationSeconds: 900 });
        const cli = spawnCli(['exec', '--profile', PROFILE, '--server', '--', 'sh', '-c', LOOP], {
          home: setup.home.home,
          env: setup.env,
          stdin: 'pipe',
          timeoutMs: 120_000,
        });
        let steps = 0;
        /** runs one consumer call inside the child; returns its exit status and output */
        const call = async (url: string) => {
          const n = ++steps;
          const start = cli.stdout().length;
          cli.write(`${consumer.command(url)}\n`);
          const match = await cli.waitForStdout(new RegExp(`@@done-${n} (\\d+)\\n`), 45_000);
          return { status: Number(match[1]), output: cli.stdout().slice(start, match.index) };
        };
        const lastSigner = () =>
          setup.sts.requests.filter((r) => r.action === 'GetCallerIdentity').at(-1)?.notes.accessKeyId;
        try {
          const atMoto = await call(moto.url);
          expect(atMoto.status, `${atMoto.output}\n${cli.stderr()}`).toBe(0);
          expect(JSON.parse(atMoto.output).Arn).toMatch(/^arn:aws:(iam|sts)::\d{12}:/);

          const first = await call(setup.sts.url);
          expect(first.status, `${first.output}\n${cli.stderr()}`).toBe(0);
          expect(JSON.parse(first.output).Arn).toMatch(/^arn:aws:sts::123456789012:assumed-role\/dev\//);
          expect(setup.sts.count('AssumeRoleWithWebIdentity')).toBe(1);
          const firstKey = setup.sts.issued[0]!.accessKeyId;
          expect(lastSigner()).toBe(firstKey);

          // The first session ends: STS refuses its keys, and fedlogin's cache sees it within the refresh window.
          setup.sts.expire(firstKey);
          expect(await ageCachedCredentials(setup)).toBe(firstKey);

          const second = await call(setup.sts.url);
          expect(second.status, `${second.output}\n${cli.stderr()}`).toBe(0);
          expect(setup.sts.count('AssumeRoleWithWebIdentity')).toBe(2);
          const secondKey = setup.sts.issued[1]!.accessKeyId;
          expect(secondKey).not.toBe(firstKey);
          expect(lastSigner()).toBe(secondKey);

          const again = await call(moto.url);
          expect(again.status, `${again.output}\n${cli.stderr()}`).toBe(0);

          cli.endInput();
          expect(await cli.exited()).toEqual({ code: 0, signal: null });
          for (const secret of setup.sts.secrets()) expect(cli.stderr()).not.toContain(secret);
        } finally {
          cli.kill();
          await setup.close();
        }
      },
      120_000,
    );
  }
});
