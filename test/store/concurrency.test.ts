/**
 * 20 processes upsert 20 different profiles into one config file at the same moment, through
 * updateAwsFile (lock + read + edit + atomic write): each says "ready" once loaded and waits, and
 * all are released together once every one of them is waiting. Nothing is lost: every profile is there, and
 * the file equals the original with the ten in-place edits applied, followed by the ten new
 * sections in whatever order the writers got the lock.
 */
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProfileSections, getProfile, parseIniDocument } from '../../src/store/iniDocument.js';
import { upsertSection } from '../../src/store/iniEdit.js';
import { finished, releaseTogether, spawnFixture } from './support/children.js';
import { perms, tempDir } from './support/tempDir.js';

const ORIGINAL = [
  '# managed by hand; keep this comment',
  '[default]',
  'region = us-east-1',
  '',
  ...Array.from({ length: 10 }, (_, i) => [
    `; existing profile ${i}`,
    `[profile old-${i}]`,
    `region=ap-south-1`,
    `output = json`,
    '',
  ]).flat(),
  '[sso-session corp]',
  'sso_start_url = https://corp.awsapps.com/start',
  '',
].join('\r\n');

describe('20 concurrent writers of one config file', () => {
  it('all land, and the rest of the file is untouched', async () => {
    const root = tempDir('concurrent');
    const path = join(root, 'home', '.aws', 'config');
    const env = { HOME: join(root, 'home'), XDG_CACHE_HOME: join(root, 'cache') };
    const names = [
      ...Array.from({ length: 10 }, (_, i) => `old-${i}`),
      ...Array.from({ length: 10 }, (_, i) => `new-${i}`),
    ];
    mkdirSync(join(root, 'home', '.aws'), { recursive: true });
    writeFileSync(path, ORIGINAL);
    chmodSync(path, 0o644);

    const children = names.map((name) => spawnFixture('upsertProfile.mjs', [path, name], env));
    const runs = children.map((child) => finished(child, 60_000));
    // every writer is loaded and waiting before any is let go, so they really collide
    expect(await releaseTogether(children), 'writers waiting for the common start').toBe(20);
    const results = await Promise.all(runs);
    for (const r of results) expect(r.code, r.stderr).toBe(0);

    const text = readFileSync(path, 'utf8');
    const doc = parseIniDocument(text);
    const pids = new Set<string>();
    for (const name of names) {
      expect(findProfileSections(doc, 'config', name), name).toHaveLength(1);
      const p = getProfile(doc, 'config', name)!;
      expect(p.credential_process).toBe(`fedlogin credential-process --profile ${name}`);
      pids.add(p.fedlogin_writer_pid!);
    }
    expect(pids.size).toBe(20);

    // in-place edits do not depend on order; appended sections come in lock order
    const entriesOf = (name: string, pid: string) =>
      [
        ['region', 'eu-west-1'],
        ['credential_process', `fedlogin credential-process --profile ${name}`],
        ['fedlogin_writer_pid', pid],
      ] as [string, string][];
    let expected = ORIGINAL;
    for (let i = 0; i < 10; i += 1) {
      const name = `old-${i}`;
      expected = upsertSection(
        expected,
        'config',
        name,
        entriesOf(name, getProfile(doc, 'config', name)!.fedlogin_writer_pid!),
      );
    }
    expect(text.startsWith(expected)).toBe(true);
    const appended = doc.sections.filter((s) => s.start >= expected.length);
    expect(appended.map((s) => s.header).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `profile new-${i}`).sort(),
    );
    expect(perms(statSync(path).mode)).toBe(0o644);
  }, 60_000);
});
