import { refusedError, usageError } from '../../core/errors.js';
import { escapeControl } from '../../core/escapeControl.js';
import { isAwsAcsUrl } from './acsUrl.js';
import { isSuccess, type SamlAssertionInfo } from './parseAssertion.js';

/** Assertions that expired longer ago than this are refused here; closer calls are left to STS. */
const CLOCK_SKEW_MS = 60_000;

/**
 * Refuses what STS would refuse, before sending it: a failed status (with the IdP's own message),
 * no usable role, an expired assertion, a Recipient that is not an AWS ACS. Pure.
 */
export function checkAssertion(info: SamlAssertionInfo, now: number): void {
  if (!isSuccess(info)) {
    // the status and its message are the IdP's words: escaped (escapeControl)
    const code = escapeControl(info.status.code.replace(/^urn:oasis:names:tc:SAML:2\.0:status:/, '')) || '(none)';
    const sub = info.status.subCode
      ? `/${escapeControl(info.status.subCode.replace(/^urn:oasis:names:tc:SAML:2\.0:status:/, ''))}`
      : '';
    throw refusedError(
      'SAML_STATUS_FAILED',
      `The IdP did not sign you in: status ${code}${sub}${info.status.message ? `: "${escapeControl(info.status.message)}"` : ''}.`,
      { hint: 'Check with your IdP administrator that you are assigned to the AWS app, then sign in again.' },
    );
  }
  if (!info.hasRoleAttribute) {
    throw refusedError(
      'SAML_NO_ROLES',
      'The SAML assertion has no https://aws.amazon.com/SAML/Attributes/Role attribute, so it grants no AWS role.',
      { hint: 'Ask your IdP administrator to map you (or your groups) to at least one role in the AWS app.' },
    );
  }
  if (info.roles.length === 0) {
    throw usageError(
      'SAML_ROLE_MALFORMED',
      `The SAML assertion's Role attribute has no usable role: ${info.roleProblems.join('; ') || 'it is empty'}.`,
      {
        hint: 'Each Role value must be "arn:aws:iam::ACCOUNT:role/NAME,arn:aws:iam::ACCOUNT:saml-provider/NAME"; ask your IdP administrator to fix the mapping.',
      },
    );
  }
  if (info.notOnOrAfter && info.notOnOrAfter.getTime() + CLOCK_SKEW_MS <= now) {
    throw refusedError(
      'SAML_EXPIRED',
      `The SAML assertion expired at ${info.notOnOrAfter.toISOString()} (NotOnOrAfter).`,
      { hint: 'Sign in again for a fresh assertion; they are valid for minutes only.' },
    );
  }
  if (!info.recipient) {
    throw usageError(
      'SAML_NO_RECIPIENT',
      'The SAML assertion has no Recipient; STS requires the AWS sign-in endpoint there.',
      { hint: 'Check the ACS URL of the AWS app at the IdP: https://signin.aws.amazon.com/saml.' },
    );
  }
  if (!isAwsAcsUrl(info.recipient)) {
    throw usageError(
      'SAML_RECIPIENT',
      `The SAML assertion is for ${escapeControl(info.recipient)}, not an AWS sign-in endpoint; STS would refuse it.`,
      {
        hint: "Set the ACS URL (Recipient) of the AWS app at the IdP to https://signin.aws.amazon.com/saml (or your region's).",
      },
    );
  }
}
