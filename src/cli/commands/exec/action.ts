import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { usageError } from '../../../core/errors.js';
import type { Logger } from '../../../core/logger.js';
import { type ChildCredentials, childEnvironment } from '../../../output/childEnvironment.js';
import {
  type ContainerCredentialsServer,
  startContainerCredentialsServer,
} from '../../../output/containerCredentialsServer.js';
import type { CliContext } from '../../context.js';
import { profileCredentials } from '../../profileCredentials.js';

export interface ExecOptions {
  /** the command and its arguments (after --) */
  commandLine: string[];
  server?: boolean;
  force?: boolean;
}

/** The signals a terminal or a supervisor sends that the command must see too. */
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export async function runExec(options: ExecOptions, context: CliContext): Promise<number> {
  const { env, logger } = context;
  if (env.FEDLOGIN_PROFILE && !options.force) {
    throw usageError(
      'EXEC_NESTED',
      `This shell already runs under fedlogin exec for profile ${env.FEDLOGIN_PROFILE} (FEDLOGIN_PROFILE is set).`,
      { hint: 'Exit that shell first, or pass --force to run one inside the other.' },
    );
  }
  const [file, ...args] = options.commandLine;
  if (!file)
    throw usageError('EXEC_COMMAND_MISSING', 'No command to run.', {
      hint: 'Example: fedlogin exec --profile dev -- aws sts get-caller-identity',
    });

  const profile = profileCredentials(context);
  // Log in (or read the cache) before the command starts, so a prompt never interleaves with its output.
  const credentials = await profile.credentials();
  let server: ContainerCredentialsServer | undefined;
  let given: ChildCredentials = { kind: 'keys', credentials };
  if (options.server) {
    server = await startContainerCredentialsServer({ getCredentials: profile.credentials, logger });
    given = { kind: 'endpoint', url: server.url, authorizationToken: server.token };
    logger.debug(`serving credentials for ${file} at ${server.url}`);
  }
  try {
    return await runChild(
      file,
      args,
      childEnvironment(env, given, { region: profile.region, profile: profile.profile.name }),
      logger,
    );
  } finally {
    await server?.close();
  }
}

/** Runs the command with inherited stdio; resolves to its exit code, or 128+N for signal N. */
function runChild(file: string, args: string[], env: NodeJS.ProcessEnv, logger: Logger): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: 'inherit', env });
    const forwarders = FORWARDED_SIGNALS.map((signal) => {
      const forward = () => {
        logger.debug(`passing ${signal} on to ${file}`);
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      };
      process.on(signal, forward);
      return () => process.off(signal, forward);
    });
    const stopForwarding = () => {
      for (const off of forwarders) off();
    };
    child.once('error', (error: NodeJS.ErrnoException) => {
      stopForwarding();
      reject(spawnError(file, error));
    });
    child.once('exit', (code, signal) => {
      stopForwarding();
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}

function spawnError(file: string, error: NodeJS.ErrnoException) {
  if (error.code === 'ENOENT') {
    return usageError('EXEC_COMMAND_NOT_FOUND', `Cannot run "${file}": no such command on PATH.`, {
      hint: 'Check the spelling, or give the full path.',
      cause: error,
    });
  }
  if (error.code === 'EACCES') {
    return usageError('EXEC_COMMAND_NOT_EXECUTABLE', `Cannot run "${file}": permission denied.`, {
      hint: `Make it executable: chmod +x ${file}`,
      cause: error,
    });
  }
  return usageError('EXEC_COMMAND_FAILED', `Cannot run "${file}" (${error.code ?? error.message}).`, { cause: error });
}
