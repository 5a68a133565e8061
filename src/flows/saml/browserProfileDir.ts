import { createHash } from 'node:crypto';
import { isAbsolute, join } from 'node:path';
import { homeDir } from '../../store/awsPaths.js';

/** $XDG_DATA_HOME/fedlogin, else ~/.local/share/fedlogin. */
export function dataDir(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_DATA_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homeDir(env), '.local', 'share'), 'fedlogin');
}

/**
 * One persistent browser profile per IdP sign-on URL, so the IdP's SSO cookies carry over from one
 * login to the next (and IdPs do not share cookies by accident). Pure.
 */
export function browserProfileDir(env: NodeJS.ProcessEnv, idpUrl: string): string {
  const id = createHash('sha256').update(idpUrl.trim()).digest('hex').slice(0, 16);
  return join(dataDir(env), 'browser', id);
}

/** Written into the profile after a captured sign-in: a session may be there to renew silently. */
export const SESSION_MARKER = 'fedlogin-signed-in';
