import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { CommandResult, TokenSourceDeps } from './tokenSource.js';

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

function runCommand(command: string, args: string[], options: { timeoutMs: number }): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: options.timeoutMs, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      const code = (error as NodeJS.ErrnoException | null)?.code;
      if (typeof code === 'string') return reject(error); // could not start (ENOENT, EACCES)
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The real world, for the CLI: environment, fetch, files, stdin and child processes. */
export function nodeTokenSourceDeps(env: NodeJS.ProcessEnv): TokenSourceDeps {
  return {
    env,
    fetch: globalThis.fetch,
    readFile: (path) => readFile(path, 'utf8'),
    readStdin: () => readAll(process.stdin),
    runCommand,
  };
}
