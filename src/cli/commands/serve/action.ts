import { startContainerCredentialsServer } from '../../../output/containerCredentialsServer.js';
import { formatEnv, formatUnset, parseEnvFormat } from '../../../output/envFormat.js';
import type { CliContext } from '../../context.js';
import { profileCredentials } from '../../profileCredentials.js';

export interface ServeOptions {
  format: string;
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;
const VARIABLES = ['AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN'] as const;

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
          [VARIABLES[0], server.url],
          [VARIABLES[1], server.token],
          // the AWS CLI and most SDKs need a region, which the shells using the endpoint may not have
          ['AWS_REGION', profile.region],
          ['AWS_DEFAULT_REGION', profile.region],
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
    await server.close();
    // Once closed, any local user may listen on that port, and a shell still pointing there would
    // send it the token: say how to forget the endpoint (the next serve has a new port and token).
    logger.notice(
      `fedlogin: the credentials endpoint ${server.url} is closed; another local user could now listen on its port, ` +
        'and shells that still point there would send it their token. In those shells run:\n' +
        `  ${formatUnset(VARIABLES, format).trimEnd()}`,
    );
    return 0;
  } finally {
    await server.close();
  }
}
