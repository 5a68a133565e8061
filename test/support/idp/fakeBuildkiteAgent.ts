import { randomUUID } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TokenIssuer } from './tokenIssuer.js';

/**
 * A `buildkite-agent` executable for tests to put first on PATH. It implements only
 * `buildkite-agent oidc request-token [--audience AUD] [--lifetime SECONDS]` (plus the flags the real
 * one accepts there: --job, --claim, --aws-session-tag, --skip-redaction): it asks the issuer's
 * test-only /mint endpoint for a token with aud = AUD and prints it on stdout. Anything else exits 1
 * with a message on stderr, like the real agent's usage errors.
 */

export interface FakeBuildkiteAgent {
  /** the executable's path (dir/buildkite-agent) */
  path: string;
  /** the argv of every invocation so far, oldest first */
  calls(): Promise<string[][]>;
}

export const BUILDKITE_DEFAULT_CLAIMS = {
  sub: 'organization:acme-inc:pipeline:super-duper-app:ref:refs/heads/main:commit:9f3182061f1e2cca4702c368cbc039b7dc9d4485:step:deploy',
  organization_slug: 'acme-inc',
  pipeline_slug: 'super-duper-app',
  build_number: 1,
  build_branch: 'main',
  build_commit: '9f3182061f1e2cca4702c368cbc039b7dc9d4485',
  step_key: 'deploy',
  build_source: 'ui',
  runner_environment: 'buildkite-hosted',
};

const SCRIPT_END = 'FEDLOGIN_FAKE_BUILDKITE_AGENT_END';

export async function writeFakeBuildkiteAgent(
  dir: string,
  issuer: Pick<TokenIssuer, 'url'>,
  claims: Record<string, unknown> = {},
): Promise<FakeBuildkiteAgent> {
  const executable = path.join(dir, 'buildkite-agent');
  const callLog = path.join(dir, 'buildkite-agent.calls.jsonl');
  const config = {
    mintUrl: `${issuer.url}/mint`,
    callLog,
    claims: { ...BUILDKITE_DEFAULT_CLAIMS, job_id: randomUUID(), agent_id: randomUUID(), ...claims },
  };
  // The node program is read from the heredoc (stdin), so the script stays one self-contained file.
  const script = `#!/bin/sh
# Fake buildkite-agent written by fedlogin's test/support/idp/fakeBuildkiteAgent.ts. Test use only.
exec ${shellQuote(process.execPath)} - "$@" <<'${SCRIPT_END}'
const config = ${JSON.stringify(config)};
const fs = require('node:fs');
const args = process.argv.slice(2);
fs.appendFileSync(config.callLog, JSON.stringify(args) + '\\n');
const fail = (message) => { process.stderr.write(message + '\\n'); process.exit(1); };
if (args[0] !== 'oidc' || args[1] !== 'request-token') {
  fail('fake buildkite-agent: only "oidc request-token" is implemented (got: ' + args.slice(0, 2).join(' ') + ')');
}
const valueFlags = new Set(['audience', 'lifetime', 'job', 'claim', 'aws-session-tag']);
const boolFlags = new Set(['skip-redaction']);
const flags = {};
for (let i = 2; i < args.length; i++) {
  const arg = args[i];
  const m = /^--?([a-z-]+)(?:=(.*))?$/.exec(arg);
  if (!m) fail('Incorrect Usage: unexpected argument: ' + arg);
  const name = m[1];
  if (boolFlags.has(name)) { flags[name] = true; continue; }
  if (!valueFlags.has(name)) fail('Incorrect Usage: flag provided but not defined: -' + name);
  const value = m[2] !== undefined ? m[2] : args[++i];
  if (value === undefined) fail('Incorrect Usage: flag needs an argument: -' + name);
  flags[name] = value;
}
let lifetime = 600;
if (flags.lifetime !== undefined) {
  if (!/^\\d+$/.test(flags.lifetime)) fail('Incorrect Usage: invalid value "' + flags.lifetime + '" for flag -lifetime');
  if (Number(flags.lifetime) > 0) lifetime = Number(flags.lifetime);
}
const audience = flags.audience !== undefined ? flags.audience : 'https://buildkite.com/' + config.claims.organization_slug;
fetch(config.mintUrl, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ claims: { ...config.claims, aud: audience }, expiresInSeconds: lifetime }),
  signal: AbortSignal.timeout(10000),
})
  .then(async (res) => {
    if (!res.ok) fail('fatal: failed to get OIDC token: HTTP ' + res.status);
    const { token } = await res.json();
    process.stdout.write(token + '\\n');
  })
  .catch((err) => fail('fatal: failed to get OIDC token: ' + err.message));
${SCRIPT_END}
`;
  await writeFile(executable, script, { mode: 0o755 });
  await chmod(executable, 0o755);
  return {
    path: executable,
    async calls() {
      const text = await readFile(callLog, 'utf8').catch(() => '');
      return text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as string[]);
    },
  };
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
