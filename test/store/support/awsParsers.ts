/**
 * The AWS files as two real readers see them: the JS SDK (loadSharedConfigFiles of @smithy/core,
 * whose parseIni fromIni uses) and botocore (its own configloader, as the AWS CLI and boto3 load
 * the files). A file fedlogin wrote is only right when both read every key fedlogin wrote as
 * exactly the value it wrote, and see no key in that profile the other does not: a line break in
 * a value is one key to botocore and two to the JS SDK (issue 14, item 1).
 *
 * botocore needs python3 with botocore: gate the tests with itWith(['botocore'], ...).
 */
import { spawnSync } from 'node:child_process';
import { loadSharedConfigFiles } from '@smithy/core/config';
import { expect } from 'vitest';
import type { AwsFileKind } from '../../../src/store/iniDocument.js';

type Profiles = Record<string, Record<string, unknown>>;

export interface FilePair {
  config: string;
  credentials: string;
}

export interface WrittenProfile {
  kind: AwsFileKind;
  profile: string;
  /** the keys fedlogin wrote and their values */
  entries: Record<string, string>;
}

const PYTHON = `
import sys, json
from botocore.configloader import load_config, raw_config_parse
out = []
for pair in json.load(sys.stdin):
    try:
        out.append({'config': load_config(pair['config'])['profiles'], 'credentials': raw_config_parse(pair['credentials'])})
    except Exception as e:
        out.append({'error': type(e).__name__ + ': ' + str(e)})
json.dump(out, sys.stdout)
`;

/** botocore's view of each pair of files (one python run for all of them). */
export function botocoreViews(
  pairs: readonly FilePair[],
): ({ config: Profiles; credentials: Profiles } | { error: string })[] {
  const run = spawnSync('python3', ['-c', PYTHON], {
    input: JSON.stringify(pairs),
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`botocore failed: ${run.error?.message ?? run.stderr}`);
  return JSON.parse(run.stdout);
}

/** The JS SDK's view of one pair of files (config profiles by name, as fromIni sees them). */
export async function jsSdkView(pair: FilePair): Promise<{ config: Profiles; credentials: Profiles }> {
  const files = await loadSharedConfigFiles({
    configFilepath: pair.config,
    filepath: pair.credentials,
    ignoreCache: true,
  });
  return { config: files.configFile as Profiles, credentials: files.credentialsFile as Profiles };
}

const lowerKeys = (section: Record<string, unknown> | undefined) =>
  Object.keys(section ?? {})
    .map((k) => k.toLowerCase())
    .sort();

/**
 * Fails unless, for every pair, the JS SDK and botocore read each written key as its written value
 * and see the same keys in each written profile.
 */
export async function expectParsersAgree(
  cases: readonly { pair: FilePair; written: readonly WrittenProfile[] }[],
): Promise<void> {
  const boto = botocoreViews(cases.map((c) => c.pair));
  for (const [i, c] of cases.entries()) {
    const py = boto[i]!;
    const context = JSON.stringify(c.written);
    expect('error' in py ? py.error : undefined, `botocore refused the files for ${context}`).toBeUndefined();
    if ('error' in py) continue;
    const js = await jsSdkView(c.pair);
    for (const w of c.written) {
      const jsSection = js[w.kind][w.profile];
      const pySection = py[w.kind][w.profile];
      for (const [key, value] of Object.entries(w.entries)) {
        expect(jsSection?.[key], `JS SDK: ${w.kind} [${w.profile}] ${key} for ${context}`).toBe(value);
        expect(pySection?.[key.toLowerCase()], `botocore: ${w.kind} [${w.profile}] ${key} for ${context}`).toBe(value);
      }
      expect(lowerKeys(jsSection), `the keys of ${w.kind} [${w.profile}] for ${context}`).toEqual(lowerKeys(pySection));
    }
  }
}
