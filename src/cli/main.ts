import { Command, CommanderError } from 'commander';
import { proxyPasswords } from '../aws/network/proxyUrl.js';
import { createLogger, type Logger } from '../core/logger.js';
import { COMMANDS } from './commands/index.js';
import { type CliIo, contextFor, processOutput, type RunCommand } from './context.js';
import { EXIT, exitCodeFor } from './exitCodes.js';
import { addGlobalOptions, liftGlobalOptions } from './globalOptions.js';
import { lazyActionFor } from './lazyAction.js';
import { reportError } from './reportError.js';
import { packageVersion } from './version.js';

const ROOT_HELP = `
Examples:
  $ fedlogin web-identity --ci auto --role-arn arn:aws:iam::123456789012:role/ci
  $ fedlogin saml --idp-url https://idp.example.com/app/aws/sso
  $ fedlogin oidc --issuer https://login.example.com --client-id cli --role-arn arn:aws:iam::123456789012:role/dev
  $ fedlogin cognito --identity-pool-id us-east-1:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b --guest
  $ fedlogin login --profile dev                   # run a profile's flow, fill the cache
  $ fedlogin credential-process --profile dev      # the line for ~/.aws/config
  $ fedlogin <command> --help                      # options and examples of a command

Behind a proxy: every call (AWS, the IdP, CI token services, the SAML browser) honours
HTTPS_PROXY, HTTP_PROXY and NO_PROXY (either case; http://USER:PASSWORD@HOST:PORT for Basic
authentication), and trusts AWS_CA_BUNDLE (or the profile's ca_bundle) and NODE_EXTRA_CA_CERTS.
  $ HTTPS_PROXY=http://proxy.corp:3128 NO_PROXY=.corp.example fedlogin doctor --profile dev

Exit codes: 0 ok, 1 internal error, 2 usage or configuration error, 3 refused by the IdP or STS,
4 a service could not be reached, 130 aborted.
`;

interface RunState {
  logger?: Logger;
  /** set by commands that report their own failures (credential-process) */
  exitCode?: number;
}

function createProgram(io: CliIo, state: RunState): Command {
  const program = new Command('fedlogin')
    .description('Turn a login at your identity provider into short-lived AWS credentials.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .enablePositionalOptions()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', ROOT_HELP)
    .exitOverride();
  // before the commands are added: each copies its parent's output settings
  program.configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  const run: RunCommand = async (work, command) => {
    const context = contextFor(command, io);
    state.logger = context.logger;
    const code = await work(context);
    if (typeof code === 'number') state.exitCode = code;
  };
  const lazyAction = lazyActionFor(run);
  for (const register of COMMANDS) register(program, lazyAction);
  for (const sub of program.commands) sub.exitOverride().showHelpAfterError('(run with --help for usage)');
  addGlobalOptions(program);
  program.hook('preAction', liftGlobalOptions);
  return program;
}

export type RunOptions = Partial<CliIo>;

/**
 * Runs the CLI and returns the exit code; nothing here calls process.exit. The environment and
 * the two output streams default to the process's; tests pass their own and read what was written.
 */
export async function run(argv: string[], options: RunOptions = {}): Promise<number> {
  const io: CliIo = {
    env: options.env ?? process.env,
    stdout: options.stdout ?? processOutput.stdout,
    stderr: options.stderr ?? processOutput.stderr,
  };
  const state: RunState = {};
  const debug = argv.includes('--debug') || io.env.FEDLOGIN_DEBUG === '1';
  try {
    const program = createProgram(io, state);
    await program.parseAsync(argv, { from: 'user' });
    return state.exitCode ?? EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      const done = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code);
      return done ? EXIT.ok : EXIT.usage;
    }
    const logger = state.logger ?? createLogger({ debug });
    for (const password of proxyPasswords(io.env)) logger.addSecret(password);
    reportError(error, { debug, redact: logger.redact, write: io.stderr });
    return exitCodeFor(error);
  }
}
