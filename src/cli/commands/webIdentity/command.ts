import type { Command } from 'commander';
import { addDeliveryOptions } from '../../deliveryOptions.js';
import type { LazyAction } from '../../lazyAction.js';
import { collect } from '../../parseOptions.js';
import { policyArnOption, policyFileOption } from '../../sessionPolicyOptions.js';

const EXAMPLES = `
Examples:
  # GitHub Actions (job needs permissions: id-token: write); CI detected from the environment
  $ fedlogin web-identity --ci auto --role-arn arn:aws:iam::123456789012:role/deploy --output github

  # GitLab CI, with id_tokens: { GITLAB_OIDC_TOKEN: { aud: sts.amazonaws.com } } in the job
  $ eval "$(fedlogin web-identity --ci gitlab --role-arn arn:aws:iam::123456789012:role/deploy --output env)"

  # Any token in a file (re-read on every refresh), then a second role
  $ fedlogin web-identity --token-file /var/run/token --role-arn arn:aws:iam::111111111111:role/ci \\
      --chain-role-arn arn:aws:iam::222222222222:role/deploy

  # Only what this job needs: a managed policy and an inline one narrow the role's session
  $ fedlogin web-identity --ci auto --role-arn arn:aws:iam::123456789012:role/deploy \\
      --policy-arn arn:aws:iam::aws:policy/ReadOnlyAccess --policy-file job-policy.json

  # As a credential_process in ~/.aws/config
  [profile ci]
  credential_process = fedlogin credential-process --profile ci
  fedlogin_flow = web-identity
  fedlogin_role_arn = arn:aws:iam::123456789012:role/ci
  fedlogin_token_file = /var/run/token
  # hops after the role, with one external ID per hop (- for none)
  fedlogin_chain_role_arn = arn:aws:iam::222222222222:role/deploy
  fedlogin_chain_external_id = partner-4711

  # The profile's hops (or a role_arn + source_profile profile's), cached as credential-process does
  $ fedlogin web-identity --profile ci
`;

export function registerWebIdentity(program: Command, lazyAction: LazyAction): void {
  addDeliveryOptions(
    program
      .command('web-identity')
      .description("exchange a CI job's (or any) OIDC token for role credentials with AssumeRoleWithWebIdentity")
      .option('--role-arn <arn>', "role to assume (default: the profile's fedlogin_role_arn, then $AWS_ROLE_ARN)")
      .option('--token-file <path>', 'read the token from this file (re-read on every refresh)')
      .option(
        '--token-env <name>',
        'read the token from this environment variable (with --ci: the variable that CI puts it in)',
      )
      .option('--token-stdin', 'read the token from standard input')
      .option(
        '--ci <name>',
        'ask the CI system for a token: auto|github|gitlab|circleci|buildkite|bitbucket|azure-devops|kubernetes',
      )
      .option('--audience <aud>', 'audience to request (default sts.amazonaws.com; sts.amazonaws.com.cn in aws-cn)')
      .option(
        '--role-session-name <name>',
        "session name shown in CloudTrail (default: from CI metadata or the token's sub)",
      )
      .option('--duration <time>', 'session length, 15m to 12h, as 900 (seconds), 15m, 1h or 1h30m (default: 1h)')
      .option(
        '--chain-role-arn <arn>',
        'assume this role next with the credentials obtained (repeatable; each hop at most 1 h)',
        collect,
      )
      .addOption(policyArnOption())
      .addOption(policyFileOption())
      .addHelpText('after', EXAMPLES),
    'where the credentials go (default: credential-process)',
  ).action(lazyAction(() => import('./action.js'), 'runWebIdentity'));
}
