import { DOMParser, type Element } from '@xmldom/xmldom';
import { usageError } from '../../core/errors.js';
import { parseRoleValue, type SamlRole } from './samlRole.js';

/** STS's limit on SAMLAssertion (the base64 text). */
export const MAX_ASSERTION_LENGTH = 100_000;
const MIN_ASSERTION_LENGTH = 4;

const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const ATTR = 'https://aws.amazon.com/SAML/Attributes/';
export const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

/** What fedlogin reads from a SAMLResponse: never the signature, never the raw text. */
export interface SamlAssertionInfo {
  issuer: string | undefined;
  /** the NameID of the subject */
  subject: string | undefined;
  status: { code: string; subCode: string | undefined; message: string | undefined };
  roles: SamlRole[];
  /** Role values that could not be used, with the reason */
  roleProblems: string[];
  /** whether the Role attribute was present at all */
  hasRoleAttribute: boolean;
  roleSessionName: string | undefined;
  sessionDuration: number | undefined;
  /** the earliest NotOnOrAfter of the subject confirmation and the conditions */
  notOnOrAfter: Date | undefined;
  recipient: string | undefined;
  destination: string | undefined;
  audience: string | undefined;
}

const bad = (
  why: string,
  hint = 'Capture the SAMLResponse again (browser developer tools, Network tab, the POST to signin.aws.amazon.com/saml).',
) => usageError('SAML_MALFORMED', `The SAML response ${why}.`, { hint });

/** base64 (standard or URL-safe, with line breaks) -> the XML text; refuses anything else. */
export function decodeBase64Xml(input: string): string {
  const compact = input.replace(/\s+/g, '');
  if (compact.length < MIN_ASSERTION_LENGTH) throw bad('is empty');
  if (compact.length > MAX_ASSERTION_LENGTH) {
    throw bad(
      `is ${compact.length} characters; STS accepts at most ${MAX_ASSERTION_LENGTH}`,
      'Ask the IdP administrator to send fewer roles or attributes in the AWS app.',
    );
  }
  if (compact.startsWith('<'))
    throw bad(
      'is XML, not base64 (STS wants the base64 SAMLResponse form value)',
      'Pass the SAMLResponse value as the POST carried it, or base64-encode the XML first.',
    );
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact) || compact.replace(/=+$/, '').length % 4 === 1)
    throw bad('is not base64');
  const text = Buffer.from(compact.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  if (!text.trimStart().startsWith('<')) throw bad('is base64, but not of XML');
  return text;
}

function parseXml(xml: string) {
  // No DTDs at all: they carry entity expansion (billion laughs) and external entities (XXE).
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw bad('contains a DTD (<!DOCTYPE>), which fedlogin refuses for safety');
  const problems: string[] = [];
  let doc;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') problems.push(String(message).split('\n')[0]!);
      },
    }).parseFromString(xml, 'text/xml');
  } catch (error) {
    throw bad(`is not well-formed XML (${String((error as Error).message).split('\n')[0]})`);
  }
  if (problems.length > 0) throw bad(`is not well-formed XML (${problems[0]})`);
  return doc;
}

const children = (parent: Element | null | undefined, ns: string, name: string): Element[] =>
  parent
    ? Array.from(parent.childNodes).filter(
        (n): n is Element =>
          n.nodeType === 1 && (n as Element).localName === name && (n as Element).namespaceURI === ns,
      )
    : [];
const child = (parent: Element | null | undefined, ns: string, name: string) => children(parent, ns, name)[0];
const text = (el: Element | undefined) => el?.textContent?.trim() || undefined;

function parseDate(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw bad(`has an invalid NotOnOrAfter "${value}"`);
  return date;
}

/**
 * Parses a base64 SAMLResponse as posted to the AWS ACS. Pure; structural problems (not base64, not
 * XML, a DTD, too long, not a SAML 2.0 Response) are usage errors; what the response says (a failed
 * status, no roles, expiry) is returned for checkAssertion to judge.
 */
export function parseSamlResponse(base64: string): SamlAssertionInfo {
  const doc = parseXml(decodeBase64Xml(base64));
  const response = doc.documentElement;
  if (!response || response.localName !== 'Response' || response.namespaceURI !== SAMLP) {
    throw bad(`is XML, but not a SAML 2.0 Response (root element <${response?.nodeName ?? 'none'}>)`);
  }
  const statusCode = child(child(response, SAMLP, 'Status'), SAMLP, 'StatusCode');
  const status = {
    code: statusCode?.getAttribute('Value') ?? '',
    subCode: child(statusCode, SAMLP, 'StatusCode')?.getAttribute('Value') ?? undefined,
    message: text(child(child(response, SAMLP, 'Status'), SAMLP, 'StatusMessage')),
  };
  const assertions = children(response, SAML, 'Assertion');
  if (assertions.length > 1) throw bad(`carries ${assertions.length} assertions; AWS expects one`);
  const assertion = assertions[0];
  if (!assertion && children(response, SAML, 'EncryptedAssertion').length > 0) {
    throw bad(
      'carries an encrypted assertion',
      'AWS cannot read encrypted assertions either: turn off assertion encryption for the AWS app at the IdP.',
    );
  }
  const subject = child(assertion, SAML, 'Subject');
  const confirmation = child(child(subject, SAML, 'SubjectConfirmation'), SAML, 'SubjectConfirmationData');
  const conditions = child(assertion, SAML, 'Conditions');

  const attributes = new Map<string, string[]>();
  for (const statement of children(assertion, SAML, 'AttributeStatement')) {
    for (const attribute of children(statement, SAML, 'Attribute')) {
      const name = attribute.getAttribute('Name') ?? '';
      const values = children(attribute, SAML, 'AttributeValue').map((v) => v.textContent?.trim() ?? '');
      attributes.set(name, [...(attributes.get(name) ?? []), ...values]);
    }
  }
  const roleValues = attributes.get(`${ATTR}Role`);
  const roles: SamlRole[] = [];
  const roleProblems: string[] = [];
  for (const value of roleValues ?? []) {
    const parsed = parseRoleValue(value);
    if ('problem' in parsed) roleProblems.push(parsed.problem);
    else if (!roles.some((r) => r.roleArn === parsed.roleArn && r.principalArn === parsed.principalArn))
      roles.push(parsed);
  }
  const durationText = attributes.get(`${ATTR}SessionDuration`)?.[0];
  const sessionDuration = durationText === undefined ? undefined : Number(durationText);
  if (
    sessionDuration !== undefined &&
    !(Number.isInteger(sessionDuration) && sessionDuration >= 900 && sessionDuration <= 43_200)
  ) {
    throw bad(
      `has SessionDuration "${durationText}", which is not 900-43200 seconds`,
      'Fix the SessionDuration attribute of the AWS app at the IdP.',
    );
  }
  const expiries = [
    parseDate(confirmation?.getAttribute('NotOnOrAfter')),
    parseDate(conditions?.getAttribute('NotOnOrAfter')),
  ].filter((d): d is Date => d !== undefined);
  return {
    issuer: text(child(assertion, SAML, 'Issuer')) ?? text(child(response, SAML, 'Issuer')),
    subject: text(child(subject, SAML, 'NameID')),
    status,
    roles,
    roleProblems,
    hasRoleAttribute: roleValues !== undefined,
    roleSessionName: attributes.get(`${ATTR}RoleSessionName`)?.[0],
    sessionDuration,
    notOnOrAfter: expiries.length > 0 ? new Date(Math.min(...expiries.map((d) => d.getTime()))) : undefined,
    recipient: confirmation?.getAttribute('Recipient') ?? undefined,
    destination: response.getAttribute('Destination') ?? undefined,
    audience: text(child(child(conditions, SAML, 'AudienceRestriction'), SAML, 'Audience')),
  };
}

/** Whether the response reports success. */
export const isSuccess = (info: SamlAssertionInfo) => info.status.code === STATUS_SUCCESS;
