import { execFile } from 'node:child_process';
import { httpRequest } from '../../aws/network/httpRequest.js';
import { readTokenInput } from '../../core/readCapped.js';
import type { CommandResult, TokenSourceDeps } from './tokenSource.js';

function runCommand(command: string, args: string[], options: { timeoutMs: number }): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: options.timeoutMs, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      const code = (error as NodeJS.ErrnoException | null)?.code;
      if (typeof code === 'string') return reject(error); // could not start (ENOENT, EACCES)
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The real world, for the CLI: environment, the node:http layer, files, stdin and child processes. */
export function nodeTokenSourceDeps(env: NodeJS.ProcessEnv, caBundle?: string): TokenSourceDeps {
  return {
    env,
    fetch: (url, init) => httpRequest(url, { ...init, caBundle }),
    readFile: readTokenInput,
    readStdin: () => readTokenInput('-'),
    runCommand,
  };
}
