/**
 * Crash safety: a writer replacing a file over and over with one of two large contents is killed
 * with SIGKILL at random moments, 200 times (100 through writeFileAtomic, 100 through
 * updateAwsFile, which also leaves its lock behind for the next writer to recover). After every
 * kill the file is exactly one of the two contents, and at most the killed writer's own temp file
 * is lying around: each writer removes dead writers' temps on its next write.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { updateAwsFile } from '../../src/store/awsFiles.js';
import { finished, firstLine, spawnFixture } from './support/children.js';
import { tempDir } from './support/tempDir.js';

const KILLS_PER_MODE = 100;

function bigConfig(tag: string): string {
  const sections: string[] = [];
  for (let i = 0; i < 3000; i += 1) {
    sections.push(`[profile ${tag}-${i}]\nregion = eu-west-1\ncredential_process = fedlogin credential-process --profile ${tag}-${i}\n`);
  }
  return `# version ${tag}\n` + sections.join('\n');
}

async function killLoop(mode: 'atomic' | 'update', root: string, contents: [string, string]) {
  const target = join(root, mode, 'config');
  const fileA = join(root, `${mode}-A`);
  const fileB = join(root, `${mode}-B`);
  writeFileSync(fileA, contents[0]);
  writeFileSync(fileB, contents[1]);
  const env = { HOME: join(root, 'home'), XDG_CACHE_HOME: join(root, `cache-${mode}`) };
  let midWrite = 0;
  let lockLeft = 0;
  const lockDir = join(env.XDG_CACHE_HOME, 'fedlogin', 'locks');
  for (let i = 0; i < KILLS_PER_MODE; i += 1) {
    const child = spawnFixture('atomicWriter.mjs', [target, mode, fileA, fileB], env);
    const exit = finished(child);
    expect(await firstLine(child)).toBe('started');
    // updateAwsFile spends most of its loop reading, parsing and locking: give it longer to reach a write
    await sleep(Math.random() * (mode === 'update' ? 40 : 15));
    child.kill('SIGKILL');
    const { signal, stderr } = await exit;
    expect(signal, stderr).toBe('SIGKILL');

    const text = readFileSync(target, 'utf8');
    expect(text === contents[0] || text === contents[1], `kill ${i} (${mode}) left ${text.length} chars that match neither version`).toBe(true);
    const temps = readdirSync(join(root, mode)).filter((n) => n.startsWith('.config.fedlogin-'));
    expect(temps.length, `temp files after kill ${i}: ${temps.join(', ')}`).toBeLessThanOrEqual(1);
    midWrite += temps.length;
    if (existsSync(lockDir) && readdirSync(lockDir).some((n) => n.endsWith('.lock'))) lockLeft += 1;
  }
  return { target, env, midWrite, lockLeft };
}

describe('a writer killed at random moments', () => {
  it(`never leaves a torn file, ${2 * KILLS_PER_MODE} kills`, async () => {
    const root = tempDir('crash');
    const contents: [string, string] = [bigConfig('a'), bigConfig('b')];
    expect(contents[0].length).toBeGreaterThan(200_000);
    const started = Date.now();
    const results = await Promise.all([killLoop('atomic', root, contents), killLoop('update', root, contents)]);
    for (const { target, env, midWrite, lockLeft } of results) {
      // the next write cleans up the last killed writer's temp file, and recovers its lock
      const final = `${contents[0]}\n# final\n`;
      await updateAwsFile(target, 'config', () => final, { env, lockTimeoutMs: 5_000 });
      expect(readFileSync(target, 'utf8')).toBe(final);
      expect(readdirSync(join(target, '..')).filter((n) => n.startsWith('.'))).toEqual([]);
      console.info(`${target}: ${midWrite} of ${KILLS_PER_MODE} kills landed while a temp file existed, ${lockLeft} left a dead writer's lock`);
    }
    console.info(`${2 * KILLS_PER_MODE} kills in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 120_000);
});
