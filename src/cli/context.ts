import type { Command } from 'commander';
import { proxyPasswords } from '../aws/network/proxyUrl.js';
import { createLogger, type Logger } from '../core/logger.js';

/** Where the CLI writes: the process streams in bin/fedlogin.js, strings in tests. */
export interface CliOutput {
  /** machine output only (credential JSON, env lines, a URL with --print, help and version) */
  stdout: (text: string) => void;
  /** everything for the person: notices, debug lines, errors */
  stderr: (text: string) => void;
}

/** What run() is given: the environment and where to write. */
export interface CliIo extends CliOutput {
  env: NodeJS.ProcessEnv;
}

export const processOutput: CliOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** What every command's action gets: the global options, the environment, and where to write. */
export interface CliContext {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** machine output only (credential JSON, env lines, a URL with --print) */
  stdout: (text: string) => void;
  /**
   * raw stderr, for CI workflow commands only (`::add-mask::`, which must carry the secret it
   * hides); everything for people goes through `logger`, which redacts and escapes
   */
  stderr: (text: string) => void;
  profile: string | undefined;
  region: string | undefined;
  debug: boolean;
  /** --no-color (NO_COLOR is in env; core/colour.ts decides from both) */
  noColor?: boolean;
}

interface GlobalOptions {
  /** false with --no-color */
  color?: boolean;
  profile?: string;
  region?: string;
  debug?: boolean;
  quiet?: boolean;
}

/** The profile named by --profile, else AWS_PROFILE, as the AWS tools do. */
export function contextFor(command: Command, io: CliIo): CliContext {
  const { env } = io;
  const globals = command.optsWithGlobals<GlobalOptions>();
  const debug = globals.debug === true || env.FEDLOGIN_DEBUG === '1';
  const logger = createLogger({ debug, quiet: globals.quiet === true, write: (line) => io.stderr(`${line}\n`) });
  // a proxy password never reaches the output, --debug included
  for (const password of proxyPasswords(env)) logger.addSecret(password);
  return {
    env,
    logger,
    stdout: io.stdout,
    stderr: io.stderr,
    profile: globals.profile ?? (env.AWS_PROFILE || undefined),
    region: globals.region,
    debug,
    noColor: globals.color === false,
  };
}

/** How the program runs a command's work: the work gets the context; a number is the exit code. */
export type RunCommand = (work: (context: CliContext) => Promise<number | void>, command: Command) => Promise<void>;
