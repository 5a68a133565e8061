import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../support/cli/runCli.js';
import { hasCommand, registerComponent } from '../support/harness/component.js';
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
