import { Option } from 'commander';
import { collect } from './parseOptions.js';

/** --policy-arn, the same on every command that calls STS for a role. */
export function policyArnOption(): Option {
  return new Option(
    '--policy-arn <arn>',
    'narrow the session with this managed policy (repeatable, at most 10; default: fedlogin_policy_arns)',
  ).argParser(collect);
}

/** --policy-file, the same on every command that calls STS for a role. */
export function policyFileOption(): Option {
  return new Option(
    '--policy-file <file>',
    'narrow the session with this JSON policy document, at most 2,048 characters (default: fedlogin_policy_file)',
  );
}
