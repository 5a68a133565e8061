import type { HttpFetch } from '../../aws/network/httpRequest.js';
import type { CiName } from './ciName.js';

/** Where a web identity token comes from; asked afresh on every login (tokens rotate). */
export interface TokenSource {
  /** for messages: "the file /var/run/token", "GitHub Actions' token endpoint" */
  readonly description: string;
  readonly ci?: CiName | undefined;
  /** whether the source can mint a token for any audience (GitHub, Buildkite, Azure DevOps) */
  readonly audienceIsRequested: boolean;
  getToken(audience: string): Promise<string>;
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The outside world a token source may touch; passed in so tests use real servers and files. */
export interface TokenSourceDeps {
  env: NodeJS.ProcessEnv;
  /** the node:http layer (httpRequest) in the CLI; any fetch-shaped function fits */
  fetch: HttpFetch;
  readFile(path: string): Promise<string>;
  readStdin(): Promise<string>;
  runCommand(command: string, args: string[], options: { timeoutMs: number }): Promise<CommandResult>;
}

export type TokenSourceSpec =
  /** origin: where the path came from, for messages (`--token-file`, `fedlogin_token_file in profile dev`) */
  | { kind: 'file'; path: string; origin: string }
  | { kind: 'env'; name: string }
  | { kind: 'stdin' }
  | { kind: 'ci'; ci: CiName | 'auto'; tokenEnv?: string | undefined };
