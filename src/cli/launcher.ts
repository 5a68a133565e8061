import { realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isExecutableFile } from '../core/executableFile.js';

/**
 * Which command starts this installation of fedlogin, as the AWS tools will run it from
 * credential_process: they split the line and look its first word up on their PATH. A checkout or
 * an `npx` run is not on PATH, so the bare name `fedlogin` is right only when the `fedlogin` found
 * there is this very installation.
 */

/** The launcher of this installation: bin/fedlogin.js beside dist/ (src/cli/, dist/cli/ and dist/bundle/ are all two levels down). */
export function thisLauncher(): string {
  return fileURLToPath(new URL('../../bin/fedlogin.js', import.meta.url));
}

export interface LauncherDeps {
  env: NodeJS.ProcessEnv;
  /** this installation's bin/fedlogin.js */
  launcher: string;
  /** the node running now, for a launcher that is not executable (or Windows, which runs no .js) */
  nodePath: string;
  platform: NodeJS.Platform;
  isExecutable: (file: string) => boolean;
  /** the file a path finally names, undefined when it does not exist */
  realpath: (file: string) => string | undefined;
}

function realpathOrUndefined(file: string): string | undefined {
  try {
    return realpathSync(file);
  } catch {
    return undefined;
  }
}

export const nodeLauncherDeps = (env: NodeJS.ProcessEnv): LauncherDeps => ({
  env,
  launcher: thisLauncher(),
  nodePath: process.execPath,
  platform: process.platform,
  isExecutable: isExecutableFile,
  realpath: realpathOrUndefined,
});

/**
 * The file a command word runs, as execvp finds it: a word with a slash is a path (relative ones
 * against the caller's folder, which differs per AWS tool run, so they count as not found here);
 * a bare word is looked up in PATH's folders in order. undefined when nothing runnable is found.
 */
export function resolveCommandWord(word: string, deps: Pick<LauncherDeps, 'env' | 'isExecutable'>): string | undefined {
  if (word.includes('/')) return path.isAbsolute(word) && deps.isExecutable(word) ? word : undefined;
  for (const dir of (deps.env.PATH ?? '').split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir)) continue;
    const candidate = path.join(dir, word);
    if (deps.isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Whether `file` (any symlinks followed) is this installation's launcher. */
export function isThisLauncher(file: string, deps: Pick<LauncherDeps, 'launcher' | 'realpath'>): boolean {
  const target = deps.realpath(file);
  return target !== undefined && target === (deps.realpath(deps.launcher) ?? deps.launcher);
}

/** Whether `file` (symlinks followed) looks like a fedlogin launcher of any installation. */
export function isSomeFedlogin(file: string, deps: Pick<LauncherDeps, 'realpath'>): boolean {
  const base = path.basename(deps.realpath(file) ?? file).toLowerCase();
  return base === 'fedlogin' || base === 'fedlogin.js' || base === 'fedlogin.cmd' || base === 'fedlogin.exe';
}

/**
 * The words that start this fedlogin for credential_process: `fedlogin` when PATH's fedlogin is
 * this installation, else the launcher's absolute path (it is executable, with a node shebang),
 * else (not executable, or Windows, where a .js file is not a program) this node and the launcher.
 */
export function launcherWords(deps: LauncherDeps): string[] {
  const onPath = resolveCommandWord('fedlogin', deps);
  if (onPath && isThisLauncher(onPath, deps)) return ['fedlogin'];
  const launcher = deps.realpath(deps.launcher) ?? deps.launcher;
  return deps.platform !== 'win32' && deps.isExecutable(launcher) ? [launcher] : [deps.nodePath, launcher];
}
