import { usageError } from '../core/errors.js';

/**
 * Session policies (STS's PolicyArns and Policy parameters) narrow what a session may do below
 * what its role allows. The limits are STS's own, checked here so a bad policy fails before any
 * sign-in or STS call: at most 10 managed policy ARNs, and the inline policy's plain text at most
 * 2,048 characters. STS packs the policies into the session token too; when the packed form is too
 * large it answers PackedPolicyTooLarge (translated in stsErrors.ts), which no client can predict.
 */
export interface SessionPolicy {
  /** managed policy ARNs, in the order given */
  policyArns: string[];
  /** the inline policy, as compact JSON */
  policy?: string | undefined;
}

export const MAX_POLICY_ARNS = 10;
export const MAX_INLINE_POLICY_CHARS = 2048;

const POLICY_ARN = /^arn:aws[\w-]*:iam::(\d{12}|aws):policy\/[\x21-\x7e]{1,2000}$/;

/** Checks managed policy ARNs (their shape and how many); `name` is the flag or key they came from. Pure. */
export function parsePolicyArns(values: readonly string[], name: string): string[] {
  for (const arn of values) {
    if (!POLICY_ARN.test(arn)) {
      throw usageError(
        'POLICY_ARN_INVALID',
        `${name}: "${arn}" is not an IAM policy ARN (arn:aws:iam::123456789012:policy/NAME or arn:aws:iam::aws:policy/NAME).`,
      );
    }
  }
  if (values.length > MAX_POLICY_ARNS) {
    throw usageError(
      'POLICY_ARN_INVALID',
      `${name}: ${values.length} managed policies given; STS accepts at most ${MAX_POLICY_ARNS} per session.`,
    );
  }
  return [...values];
}

/**
 * Parses an inline session policy (a policy document, JSON) and returns it compact, which is what
 * STS counts against its 2,048-character limit. `origin` names the file. Pure.
 */
export function parsePolicyDocument(text: string, origin: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw usageError('POLICY_DOCUMENT_INVALID', `${origin} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !('Statement' in parsed)) {
    throw usageError(
      'POLICY_DOCUMENT_INVALID',
      `${origin} is not a policy document: it needs a top-level object with a Statement.`,
      { hint: 'Example: {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}' },
    );
  }
  const compact = JSON.stringify(parsed);
  if (compact.length > MAX_INLINE_POLICY_CHARS) {
    throw usageError(
      'POLICY_DOCUMENT_TOO_LONG',
      `${origin} is ${compact.length} characters without whitespace; STS accepts session policies of at most ${MAX_INLINE_POLICY_CHARS}.`,
      { hint: 'Use managed policies (--policy-arn) for the rest, or shorten the document (wildcards in Action).' },
    );
  }
  return compact;
}

/** The STS request parameters for a session policy (absent ones left out). Pure. */
export function sessionPolicyParams(policy: SessionPolicy | undefined): {
  PolicyArns?: { arn: string }[];
  Policy?: string;
} {
  if (!policy) return {};
  return {
    ...(policy.policyArns.length > 0 ? { PolicyArns: policy.policyArns.map((arn) => ({ arn })) } : {}),
    ...(policy.policy !== undefined ? { Policy: policy.policy } : {}),
  };
}

/** "2 managed policies and an inline policy", for debug lines and status; undefined when none. */
export function describeSessionPolicy(policy: SessionPolicy | undefined): string | undefined {
  if (!policy || (policy.policyArns.length === 0 && policy.policy === undefined)) return undefined;
  const parts = [
    ...(policy.policyArns.length > 0
      ? [`${policy.policyArns.length} managed polic${policy.policyArns.length === 1 ? 'y' : 'ies'}`]
      : []),
    ...(policy.policy !== undefined ? [`an inline policy of ${policy.policy.length} characters`] : []),
  ];
  return parts.join(' and ');
}
