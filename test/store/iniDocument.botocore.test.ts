/**
 * Differential test: the parser against Python's configparser (configured as botocore configures
 * it, minus strictness about duplicates, which botocore rejects and we merge like the JS SDK) and
 * botocore's own profile mapping, over generated files. Needs python3 with botocore (component
 * 'botocore': the machine image ships it; skipped with a reason elsewhere, failing under CI).
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { findProfileSections, listProfiles, mergeEntries, parseIniDocument } from '../../src/store/iniDocument.js';
import { itWith } from '../support/harness/component.js';
import { awsFileText } from './support/iniArbitraries.js';

const PYTHON = `
import sys, json, configparser
from botocore.configloader import build_profile_map
out = []
for text in json.load(sys.stdin):
    cp = configparser.RawConfigParser(strict=False)
    try:
        cp.read_string(text)
    except configparser.Error as e:
        out.append({'ok': False, 'error': type(e).__name__})
        continue
    sections = {s: dict(cp.items(s)) for s in cp.sections()}
    out.append({'ok': True, 'sections': sections, 'profiles': build_profile_map(sections)['profiles']})
json.dump(out, sys.stdout)
`;

interface PyResult {
  ok: boolean;
  error?: string;
  sections?: Record<string, Record<string, string>>;
  profiles?: Record<string, Record<string, string>>;
}

describe('parseIniDocument agrees with botocore', () => {
  itWith(['botocore'], 'on 1000 generated files: errors, sections, values and config profiles', () => {
    // botocore does not skip a byte order mark (the file is refused); compare without one
    const texts = fc.sample(awsFileText, { numRuns: 1000, seed: 20260101 }).map((t) => t.replace(/^\uFEFF/, ''));
    const run = spawnSync('python3', ['-c', PYTHON], {
      input: JSON.stringify(texts),
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const results = JSON.parse(run.stdout) as PyResult[];
    let compared = 0;
    texts.forEach((text, i) => {
      const py = results[i]!;
      const doc = parseIniDocument(text);
      const context = JSON.stringify(text);
      expect(
        doc.problems.length > 0,
        `problems for ${context}: ${JSON.stringify(doc.problems)} vs python ${py.error}`,
      ).toBe(!py.ok);
      if (!py.ok) return;
      compared += 1;
      const ours: Record<string, Record<string, string>> = {};
      for (const header of new Set(doc.sections.map((s) => s.header))) {
        ours[header] = { ...mergeEntries(doc.sections.filter((s) => s.header === header)) };
      }
      expect(ours, context).toEqual(py.sections);
      // when distinct headers name one profile ([default] and [profile default], [profile  x] and
      // [profile x]) botocore keeps the later section wholesale, we merge them: compare the rest
      const ambiguous = (name: string) =>
        new Set(findProfileSections(doc, 'config', name).map((s) => s.header)).size > 1;
      const profiles: Record<string, Record<string, string>> = {};
      const theirs = { ...py.profiles };
      for (const name of listProfiles(doc, 'config')) {
        if (ambiguous(name)) {
          delete theirs[name];
          continue;
        }
        profiles[name] = { ...mergeEntries(findProfileSections(doc, 'config', name)) };
      }
      expect(profiles, context).toEqual(theirs);
    });
    console.info(`compared ${compared} valid files; ${texts.length - compared} were refused by both`);
    expect(compared).toBeGreaterThan(300);
  });
});
