import type { Command } from 'commander';
import type { LazyAction } from '../../lazyAction.js';

const EXAMPLES = `
Examples:
  $ fedlogin doctor                    # every fedlogin profile
  $ fedlogin doctor --profile dev
  $ fedlogin doctor --profile dev --json
  $ HTTPS_PROXY=http://alice:s3cr%40t@proxy.corp:3128 AWS_CA_BUNDLE=~/corp-root.pem fedlogin doctor

Checks the AWS files, the profile's settings, the browser (saml), the keychain, the IdP and STS
(reachable within 3 s, clock skew from their Date header), long-term keys shadowing the profile,
the credentials file's permissions, cached credentials and, for web identity, the token's claims.
A chained profile (role_arn + source_profile, fedlogin_chain_role_arn) gets its chain printed
(profile -> source -> hops), each hop's role ARN and external ID checked, the one-hour cap of
chained sessions noted, and its source profiles checked in turn.
Behind a proxy it shows the proxy in use (password masked) and whether it answers, whether STS and
the IdP were reached through it, the CA bundle, and whether TLS to STS is inspected (its
certificate is not from one of the public roots Node ships).
Each check is ok, warn or FAIL with its fix. Exit code: 0 when no check fails (warnings allowed),
2 when any check fails.
`;

export function registerDoctor(program: Command, lazyAction: LazyAction): void {
  program
    .command('doctor')
    .description('check the setup of fedlogin profiles and say how to fix what is wrong')
    .option('--json', 'print {checks:[{id, profile, status, message, fix}]} instead of a table')
    .addHelpText('after', EXAMPLES)
    .action(
      lazyAction(
        () => import('./action.js'),
        'runDoctorCommand',
        ({ options, command }) => ({
          ...options,
          noColor: command.optsWithGlobals<{ color?: boolean }>().color === false,
        }),
      ),
    );
}
