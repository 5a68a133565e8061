import type { Command } from 'commander';
import { createLogger, type Logger } from '../core/logger.js';

/** What every command's action gets: the global options, the environment, and where to write. */
export interface CliContext {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** machine output only (credential JSON, env lines, a URL with --print) */
  stdout: (text: string) => void;
  profile: string | undefined;
  region: string | undefined;
  debug: boolean;
}

export interface GlobalOptions {
  profile?: string;
  region?: string;
  debug?: boolean;
  quiet?: boolean;
}

/** The profile named by --profile, else AWS_PROFILE, as the AWS tools do. */
export function contextFor(command: Command, env: NodeJS.ProcessEnv, logger?: Logger): CliContext {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const debug = globals.debug === true || env.FEDLOGIN_DEBUG === '1';
  return {
    env,
    logger: logger ?? createLogger({ debug, quiet: globals.quiet === true }),
    stdout: (text) => process.stdout.write(text),
    profile: globals.profile ?? (env.AWS_PROFILE || undefined),
    region: globals.region,
    debug,
  };
}

/** How a command hands its work to the program: the action gets the context; a number is the exit code. */
export type RunCommand = (action: (context: CliContext) => Promise<number | void>, command: Command) => Promise<void>;
