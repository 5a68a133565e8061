import { parsePolicyArns, parsePolicyDocument, type SessionPolicy } from '../aws/sessionPolicy.js';
import type { ProfileValues } from '../config/profileValues.js';
import { isFedloginError, usageError } from '../core/errors.js';
import { readTextCapped } from '../core/readCapped.js';
import { expandHome } from '../store/awsPaths.js';

/** The command line's say on session policies; undefined when the flag was not used. */
export interface SessionPolicyFlags {
  policyArn?: string[] | undefined;
  policyFile?: string | undefined;
}

/** Where the session policy comes from: validated ARNs and the file to read. */
export interface SessionPolicySpec {
  policyArns: string[];
  policyFile?: { path: string; origin: string } | undefined;
}

/**
 * --policy-arn (repeatable) > fedlogin_policy_arns (comma/space separated), and --policy-file >
 * fedlogin_policy_file, for every flow. The ARNs are checked here; the file is read (and checked)
 * by readSessionPolicy, before any sign-in. Pure.
 */
export function resolveSessionPolicySpec(
  flags: SessionPolicyFlags,
  profile: ProfileValues | undefined,
): SessionPolicySpec {
  const policyArns =
    flags.policyArn !== undefined
      ? parsePolicyArns(flags.policyArn.flatMap(splitList), '--policy-arn')
      : (profile?.parsed('fedlogin_policy_arns', (v) => parsePolicyArns(splitList(v), 'fedlogin_policy_arns')) ?? []);
  const file = flags.policyFile ?? profile?.string('fedlogin_policy_file');
  const origin =
    flags.policyFile !== undefined
      ? `--policy-file ${flags.policyFile}`
      : `fedlogin_policy_file ${file} in profile ${profile?.name}`;
  return { policyArns, policyFile: file ? { path: file, origin } : undefined };
}

function splitList(value: string): string[] {
  return value.split(/[\s,]+/).filter(Boolean);
}

/** Reads and checks the policy file (bounded: a policy document is small); undefined when there is no policy. */
export async function readSessionPolicy(
  spec: SessionPolicySpec,
  env: NodeJS.ProcessEnv,
): Promise<SessionPolicy | undefined> {
  if (spec.policyArns.length === 0 && !spec.policyFile) return undefined;
  let policy: string | undefined;
  if (spec.policyFile) {
    const { origin } = spec.policyFile;
    const text = await readTextCapped({
      file: expandHome(spec.policyFile.path, env),
      limit: 64 * 1024,
      subject: `The session policy (${origin})`,
      why: 'a session policy is at most 2,048 characters',
      hint: 'Point --policy-file / fedlogin_policy_file at a JSON policy document.',
    }).catch((error: NodeJS.ErrnoException) => {
      if (isFedloginError(error) || !error.code) throw error;
      throw usageError('POLICY_DOCUMENT_INVALID', `Cannot read the session policy (${origin}): ${error.code}.`, {
        hint: 'Point --policy-file / fedlogin_policy_file at a readable JSON policy document.',
      });
    });
    policy = parsePolicyDocument(text, origin);
  }
  return { policyArns: spec.policyArns, policy };
}

/** resolveSessionPolicySpec then readSessionPolicy: what a command or a profile's provider calls before signing in. */
export function sessionPolicyFor(
  flags: SessionPolicyFlags,
  profile: ProfileValues | undefined,
  env: NodeJS.ProcessEnv,
): Promise<SessionPolicy | undefined> {
  return readSessionPolicy(resolveSessionPolicySpec(flags, profile), env);
}
