import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { TempHome } from './tempHome.js';

/**
 * The file-store entries (FEDLOGIN_STORE=file) under a test HOME whose key starts with `prefix`:
 * their files and values. Synchronous, so a test can use it anywhere.
 */
export function storeEntries(home: Pick<TempHome, 'home'>, prefix: string): { file: string; value: string }[] {
  const found: { file: string; value: string }[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(file);
      else if (entry.name.endsWith('.json')) {
        try {
          const parsed = JSON.parse(readFileSync(file, 'utf8')) as { key?: string; value?: string };
          if (parsed.key?.startsWith(prefix) && parsed.value) found.push({ file, value: parsed.value });
        } catch {
          // not an entry
        }
      }
    }
  };
  visit(home.home);
  return found;
}

/**
 * Removes the tokens the last OIDC renewal kept for the sign-in's other profiles (what `fedlogin
 * logout` does), so that the next renewal runs a refresh grant: for tests and bench rows that are
 * about each renewal's refresh grant. Returns how many entries it removed.
 */
export function dropKeptOidcTokens(home: Pick<TempHome, 'home'>): number {
  const kept = storeEntries(home, 'oidc-kept-v1-');
  for (const { file } of kept) rmSync(file);
  return kept.length;
}
