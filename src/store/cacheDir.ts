/**
 * fedlogin's cache folder: $XDG_CACHE_HOME/fedlogin, else ~/.cache/fedlogin. Holds the file
 * secret store's entries, the locks and the remembered keychain decision.
 */
import { isAbsolute, join } from 'node:path';
import { homeDir } from './awsPaths.js';

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  // the XDG spec says a relative path is invalid and must be ignored
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homeDir(env), '.cache'), 'fedlogin');
}
