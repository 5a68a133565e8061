import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../support/cli/runCli.js';
import {
  type ComponentName,
  component,
  componentPath,
  hasCommand,
  registerComponent,
} from '../support/harness/component.js';
import { runProcess } from '../support/harness/runProcess.js';

/**
 * Helpers for the consumer matrix (consumers.test.ts): the counting proxy in front of moto, a
 * bounded process runner, and the Go consumer's offline build.
 */

export const CONSUMERS_DIR = path.join(REPO_ROOT, 'test', 'consumers');

/** The counting proxy of test/support, under the name this file's tests use. */
export {
  type CountingProxy as ActionCountingProxy,
  startCountingProxy as startActionCountingProxy,
} from '../support/aws/countingProxy.js';

export { type ProcessResult, runProcess } from '../support/harness/runProcess.js';

/**
 * The Go SDK v2 as Debian packages it (golang-github-aws-aws-sdk-go-v2-dev, one merged module under
 * /usr/share/gocode), built offline in GOPATH mode: GO111MODULE=off resolves imports from GOPATH
 * and never consults a module proxy or checksum database.
 */
export const DEBIAN_GOPATH = '/usr/share/gocode';
const GO_SDK_MARKERS = [
  'config/config.go',
  'service/sts/api_op_GetCallerIdentity.go',
  'credentials/processcreds/provider.go',
].map((f) => path.join(DEBIAN_GOPATH, 'src/github.com/aws/aws-sdk-go-v2', f));
export const GO_COMPONENT = 'go-sdk-v2';

registerComponent(GO_COMPONENT, () => {
  const go = hasCommand('go');
  if (!go)
    return {
      name: GO_COMPONENT,
      available: false,
      reason: 'go not found on PATH (apt-get install golang-go golang-github-aws-aws-sdk-go-v2-dev)',
    };
  const absent = GO_SDK_MARKERS.filter((f) => !existsSync(f));
  if (absent.length > 0) {
    return {
      name: GO_COMPONENT,
      available: false,
      reason: `the Go SDK v2 sources are not in ${DEBIAN_GOPATH} (apt-get install golang-github-aws-aws-sdk-go-v2-dev; missing ${absent[0]})`,
    };
  }
  return { name: GO_COMPONENT, available: true, path: go };
});

/** Builds test/consumers/go into `outDir` (offline) and returns the binary's path; throws with the compiler's output. */
export async function buildGoConsumer(go: string, outDir: string): Promise<string> {
  const binary = path.join(outDir, 'callerid');
  const result = await runProcess(go, ['build', '-o', binary, 'main.go'], {
    cwd: path.join(CONSUMERS_DIR, 'go'),
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: outDir,
      GO111MODULE: 'off',
      GOPATH: DEBIAN_GOPATH,
      GOCACHE: path.join(outDir, 'gocache'),
      GOFLAGS: '',
      GOPROXY: 'off',
      GOTOOLCHAIN: 'local',
      CGO_ENABLED: '0',
    },
    timeoutMs: 150_000,
  });
  if (result.code !== 0)
    throw new Error(
      `go build of test/consumers/go failed (${result.timedOut ? 'timed out' : `exit ${result.code}`}):\n${result.stderr}${result.stdout}`,
    );
  return binary;
}

/** What a consumer reports of its GetCallerIdentity call. */
export interface Identity {
  Account: string;
  Arn: string;
  UserId?: string;
  /** the access key and expiry the consumer itself resolved, where it can tell */
  AccessKeyId?: string;
  Expiration?: string | null;
}

/** An AWS SDK or CLI that runs a profile's credential_process and calls GetCallerIdentity. */
export interface Consumer {
  id: string;
  title: string;
  components: ComponentName[];
  /** the test's timeout when not the default (the Go consumer's first test waits for its build) */
  timeoutMs?: number;
  run(profile: string, env: Record<string, string>): Promise<Identity>;
}

export interface ConsumerMatrix {
  consumers: Consumer[];
  /** starts the Go consumer's build early (when Go is there), so its test does not wait for all of it */
  prebuildGo(): void;
  /** waits for a build still running (a test filtered out), ignoring its failure */
  settled(): Promise<void>;
}

function parseIdentity(
  name: string,
  result: { code: number | null; stdout: string; stderr: string; timedOut: boolean },
): Identity {
  if (result.code !== 0)
    throw new Error(
      `${name} failed (${result.timedOut ? 'timed out' : `exit ${result.code}`}):\n${result.stderr}\n${result.stdout}`,
    );
  // the CLIs print indented JSON; the scripts print one line
  return JSON.parse(result.stdout) as Identity;
}

/**
 * Every consumer of the matrix, each calling GetCallerIdentity at `endpoint()` (read when it runs)
 * and building the Go consumer into `buildDir()`.
 */
export function consumerMatrix(o: { endpoint: () => string; buildDir: () => string }): ConsumerMatrix {
  let goBinary: Promise<string> | undefined;
  const goBuild = () => {
    goBinary ??= buildGoConsumer(componentPath(GO_COMPONENT as ComponentName), o.buildDir());
    return goBinary;
  };
  const awsCli = (componentName: 'aws-cli-v1' | 'aws-cli-v2') => async (profile: string, env: Record<string, string>) =>
    parseIdentity(
      componentName,
      await runProcess(
        componentPath(componentName),
        [
          'sts',
          'get-caller-identity',
          '--profile',
          profile,
          '--region',
          'us-east-1',
          '--endpoint-url',
          o.endpoint(),
          '--output',
          'json',
        ],
        { env },
      ),
    );
  const jsSdk = (provider: 'ini' | 'process') => async (profile: string, env: Record<string, string>) =>
    parseIdentity(
      `js ${provider}`,
      await runProcess(
        process.execPath,
        [path.join(CONSUMERS_DIR, 'js', 'callerid.mjs'), provider, profile, o.endpoint()],
        {
          env,
        },
      ),
    );

  const consumers: Consumer[] = [
    { id: 'aws-cli-v1', title: "the machine's Python aws (v1)", components: ['aws-cli-v1'], run: awsCli('aws-cli-v1') },
    { id: 'aws-cli-v2', title: "Debian's /usr/bin/aws (v2)", components: ['aws-cli-v2'], run: awsCli('aws-cli-v2') },
    {
      id: 'boto3',
      title: 'boto3',
      components: ['boto3'],
      run: async (profile, env) =>
        parseIdentity(
          'boto3',
          await runProcess(
            componentPath('boto3'),
            [path.join(CONSUMERS_DIR, 'python', 'callerid.py'), profile, o.endpoint()],
            { env },
          ),
        ),
    },
    {
      id: 'js-fromIni',
      title: "the JS SDK v3's fromIni",
      components: ['npm:@aws-sdk/client-sts', 'npm:@aws-sdk/credential-provider-ini'],
      run: jsSdk('ini'),
    },
    {
      id: 'js-fromProcess',
      title: "the JS SDK v3's fromProcess",
      components: ['npm:@aws-sdk/client-sts', 'npm:@aws-sdk/credential-provider-process'],
      run: jsSdk('process'),
    },
    {
      id: 'go-sdk-v2',
      title: 'a Go SDK v2 program',
      // registered above: `go` on PATH and Debian's SDK sources in /usr/share/gocode
      components: [GO_COMPONENT as ComponentName],
      timeoutMs: 180_000,
      run: async (profile, env) =>
        parseIdentity(
          'go',
          await runProcess(await goBuild(), ['-profile', profile, '-endpoint', o.endpoint()], { env }),
        ),
    },
  ];
  return {
    consumers,
    prebuildGo() {
      if (component(GO_COMPONENT as ComponentName).available) goBuild().catch(() => undefined); // reported by the Go tests
    },
    async settled() {
      await goBinary?.catch(() => undefined);
    },
  };
}
