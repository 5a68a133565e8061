import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { FedloginError } from '../../../src/core/errors.js';

/** A fresh folder under the OS temp dir, removed after the test file. */
export function tempDir(label = 'store'): string {
  const dir = mkdtempSync(join(tmpdir(), `fedlogin-${label}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The permission bits of a mode. */
export const perms = (mode: number) => mode & 0o777;

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<FedloginError> {
  try {
    await promise;
  } catch (error) {
    return error as FedloginError;
  }
  throw new Error('expected a rejection');
}
