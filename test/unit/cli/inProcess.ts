import { run } from '../../../src/cli/main.js';

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in this process, as bin/fedlogin.js would, and returns what it wrote and its exit code. */
export async function runInProcess(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<InProcessResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    env,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { code, stdout, stderr };
}
