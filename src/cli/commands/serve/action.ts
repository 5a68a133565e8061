import { formatEnv, parseEnvFormat } from '../../../output/envFormat.js';
import { startContainerCredentialsServer } from '../../../output/containerCredentialsServer.js';
import type { CliContext } from '../../context.js';
import { profileCredentials } from '../../profileCredentials.js';

export interface ServeOptions {
  format: string;
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export async function runServe(options: ServeOptions, context: CliContext): Promise<number> {
  const { logger } = context;
  const format = parseEnvFormat(options.format);
  const profile = profileCredentials(context);
  await profile.credentials();
  const server = await startContainerCredentialsServer({ getCredentials: profile.credentials, logger });
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    for (const signal of STOP_SIGNALS) process.once(signal, () => resolve(signal));
  });
  try {
    context.stdout(
      formatEnv(
        [
          ['AWS_CONTAINER_CREDENTIALS_FULL_URI', server.url],
          ['AWS_CONTAINER_AUTHORIZATION_TOKEN', server.token],
        ],
        format,
      ),
    );
    logger.notice(
      `fedlogin: serving the credentials of profile ${profile.profile.name} at ${server.url} until Ctrl-C or SIGTERM.\n` +
        '  The AWS_CONTAINER_AUTHORIZATION_TOKEN printed on stdout is a secret: whoever has it can fetch these credentials.',
    );
    const signal = await stopped;
    logger.debug(`${signal}: stopping the credentials endpoint`);
    return 0;
  } finally {
    await server.close();
  }
}
