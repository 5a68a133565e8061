import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FedloginError } from '../../src/core/errors.js';
import { cleanStaleTemps, STALE_TEMP_MS, writeFileAtomic } from '../../src/store/atomicWrite.js';
import { perms, tempDir } from './support/tempDir.js';

const hostTag = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
const temps = (dir: string, base: string) => readdirSync(dir).filter((n) => n.startsWith(`.${base}.fedlogin-`));
/** a pid that certainly is not running: a child that has exited */
const deadPid = () =>
  spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;

describe('writeFileAtomic', () => {
  it('creates a new file 0600 and its missing folders 0700', () => {
    const root = tempDir();
    const path = join(root, 'a', 'b', 'config');
    writeFileAtomic(path, 'hello');
    expect(readFileSync(path, 'utf8')).toBe('hello');
    expect(perms(statSync(path).mode)).toBe(0o600);
    expect(perms(statSync(join(root, 'a')).mode)).toBe(0o700);
    expect(perms(statSync(join(root, 'a', 'b')).mode)).toBe(0o700);
    expect(temps(join(root, 'a', 'b'), 'config')).toEqual([]);
  });

  it('gives a new file the mode asked for, and leaves an existing folder’s mode alone', () => {
    const root = tempDir();
    chmodSync(root, 0o755);
    writeFileAtomic(join(root, 'f'), 'x', { mode: 0o640 });
    expect(perms(statSync(join(root, 'f')).mode)).toBe(0o640);
    expect(perms(statSync(root).mode)).toBe(0o755);
  });

  it('keeps the mode of an existing file, unless told not to', () => {
    const root = tempDir();
    const path = join(root, 'credentials');
    writeFileSync(path, 'old');
    chmodSync(path, 0o644);
    writeFileAtomic(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(perms(statSync(path).mode)).toBe(0o644);
    writeFileAtomic(path, 'newer', { mode: 0o600, keepMode: false });
    expect(perms(statSync(path).mode)).toBe(0o600);
  });

  it('writes through a symlink, which stays a symlink', () => {
    const root = tempDir();
    mkdirSync(join(root, 'dotfiles'));
    writeFileSync(join(root, 'dotfiles', 'config'), 'old');
    symlinkSync(join(root, 'dotfiles', 'config'), join(root, 'config'));
    writeFileAtomic(join(root, 'config'), 'new');
    expect(lstatSync(join(root, 'config')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(root, 'dotfiles', 'config'), 'utf8')).toBe('new');
  });

  it('writes bytes as given (a byte order mark, CRLF, non-ASCII)', () => {
    const root = tempDir();
    const text = '\uFEFF[default]\r\nregion = é\r\n';
    writeFileAtomic(join(root, 'f'), text);
    expect(readFileSync(join(root, 'f'), 'utf8')).toBe(text);
    writeFileAtomic(join(root, 'g'), new Uint8Array([0, 1, 2, 255]));
    expect([...readFileSync(join(root, 'g'))]).toEqual([0, 1, 2, 255]);
  });

  it('fails with FILE_WRITE_FAILED naming the file, and leaves no temp file behind', () => {
    const root = tempDir();
    const path = join(root, 'target');
    mkdirSync(join(path, 'inside'), { recursive: true }); // a folder cannot be renamed over
    let error: unknown;
    try {
      writeFileAtomic(path, 'x');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FedloginError);
    expect((error as FedloginError).code).toBe('FILE_WRITE_FAILED');
    expect((error as FedloginError).message).toContain(path);
    expect(temps(root, 'target')).toEqual([]);
  });

  it('removes temp files of dead writers and old ones, not fresh ones of live writers nor other files', () => {
    const root = tempDir();
    const path = join(root, 'config');
    const dead = `.config.fedlogin-${hostTag}-${deadPid()}-aaaaaaaaaaaa.tmp`;
    const liveFresh = `.config.fedlogin-${hostTag}-1-bbbbbbbbbbbb.tmp`; // pid 1 is alive
    const liveOld = `.config.fedlogin-${hostTag}-1-cccccccccccc.tmp`;
    const otherHost = `.config.fedlogin-00000000-${deadPid()}-dddddddddddd.tmp`;
    const unrelated = ['.config.swp', 'config.bak', '.credentials.fedlogin-x-1-y.tmp'];
    for (const name of [dead, liveFresh, liveOld, otherHost, ...unrelated]) writeFileSync(join(root, name), 'partial');
    const old = (Date.now() - STALE_TEMP_MS - 60_000) / 1000;
    utimesSync(join(root, liveOld), old, old);
    writeFileAtomic(path, 'x');
    expect(readdirSync(root).sort()).toEqual([liveFresh, otherHost, ...unrelated, 'config'].sort());
    // another host's temp goes once it is old
    expect(cleanStaleTemps(path, Date.now() + STALE_TEMP_MS + 60_000)).toBe(2);
    expect(existsSync(join(root, otherHost))).toBe(false);
  });
});
