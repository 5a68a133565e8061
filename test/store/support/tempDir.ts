import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A fresh folder under the OS temp dir, removed after the test file. */
export function tempDir(label = 'store'): string {
  const dir = mkdtempSync(join(tmpdir(), `fedlogin-${label}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The permission bits of a mode. */
export const perms = (mode: number) => mode & 0o777;
