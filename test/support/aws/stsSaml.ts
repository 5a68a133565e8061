import { DOMParser, type Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { AwsFault, type AwsRequest, type QueryHandler } from './awsProtocolServer.js';
import { refuseAboveMaxSession, type StsEndpoint, sessionPolicyOf } from './stsEndpoint.js';

/**
 * AssumeRoleWithSAML for the STS test double, checked as AWS checks it: the signature against the
 * SAML provider's certificate (xml-crypto; only what the signature covers is read), the audience,
 * the Recipient (an AWS ACS), NotOnOrAfter, and that the Role attribute pairs the requested role
 * with the requested provider. Denials say why in `sts.requests.at(-1).notes.denied`.
 */

export interface SamlProviderTrust {
  /** PEM of the IdP's signing certificate, as uploaded to IAM */
  certPem: string;
}

export interface StsSamlOptions {
  /** by SAML provider ARN: arn:aws:iam::ACCOUNT:saml-provider/NAME */
  providers: Record<string, SamlProviderTrust>;
  /** Recipients accepted; default the AWS ACS URLs of the aws partition */
  recipients?: (recipient: string) => boolean;
}

const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const ATTR = 'https://aws.amazon.com/SAML/Attributes/';
const DEFAULT_RECIPIENT = /^https:\/\/(?:[a-z]{2}(?:-[a-z]+)+-\d+\.)?signin\.aws\.amazon\.com\/saml(?:\/acs\/[\w-]+)?$/;

const invalid = (message: string) => new AwsFault('InvalidIdentityToken', message, 400);

function parse(xml: string) {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw invalid('Response is not a valid SAML document');
  const problems: string[] = [];
  const doc = new DOMParser({
    onError: (level, msg) => void (level !== 'warning' && problems.push(String(msg))),
  }).parseFromString(xml, 'text/xml');
  if (problems.length > 0 || !doc.documentElement) throw invalid('Response is not well-formed XML');
  return doc;
}

const kids = (el: Element | undefined | null, ns: string, name: string): Element[] =>
  el
    ? Array.from(el.childNodes).filter(
        (n): n is Element =>
          n.nodeType === 1 && (n as Element).localName === name && (n as Element).namespaceURI === ns,
      )
    : [];
const kid = (el: Element | undefined | null, ns: string, name: string) => kids(el, ns, name)[0];

/** Verifies the one signature and returns the assertion it covers (never unsigned nodes). */
function signedAssertion(xml: string, certPem: string): Element {
  const doc = parse(xml);
  const signatures = Array.from(doc.getElementsByTagNameNS(DSIG, 'Signature'));
  if (signatures.length !== 1)
    throw invalid(signatures.length === 0 ? 'The SAML response is not signed' : 'More than one signature');
  const sig = new SignedXml({ publicCert: certPem, getCertFromKeyInfo: () => null });
  sig.loadSignature(signatures[0]! as unknown as Node);
  let ok = false;
  try {
    ok = sig.checkSignature(xml);
  } catch {
    ok = false;
  }
  if (!ok) throw invalid("The signature of the SAML response is not valid for the provider's certificate");
  const signed = sig.getSignedReferences();
  if (signed.length !== 1) throw invalid('Unexpected signed references');
  const root = parse(signed[0]!).documentElement!;
  const assertion = root.localName === 'Assertion' && root.namespaceURI === SAML ? root : kid(root, SAML, 'Assertion');
  if (!assertion) throw invalid('The signature does not cover an assertion');
  return assertion;
}

export function addSamlToSts(sts: StsEndpoint, options: StsSamlOptions): void {
  const recipientOk = options.recipients ?? ((r: string) => DEFAULT_RECIPIENT.test(r));
  const handler: QueryHandler = (req: AwsRequest) => {
    const p = req.params;
    const deny = (reason: string) => {
      req.log.notes.denied = reason;
      return new AwsFault('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithSAML', 403);
    };
    for (const name of ['RoleArn', 'PrincipalArn', 'SAMLAssertion']) {
      if (!p[name])
        throw new AwsFault(
          'ValidationError',
          `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`,
        );
    }
    const assertionText = p.SAMLAssertion!;
    if (assertionText.length < 4 || assertionText.length > 100_000) {
      throw new AwsFault(
        'ValidationError',
        "1 validation error detected: Value at 'SAMLAssertion' failed to satisfy constraint: Member must have length less than or equal to 100000",
      );
    }
    const duration = p.DurationSeconds === undefined ? 3600 : Number(p.DurationSeconds);
    if (!(Number.isInteger(duration) && duration >= 900 && duration <= 43_200)) {
      throw new AwsFault(
        'ValidationError',
        "1 validation error detected: Value at 'durationSeconds' failed to satisfy constraint",
      );
    }
    const sessionPolicy = sessionPolicyOf(p);
    const provider = options.providers[p.PrincipalArn!];
    if (!provider) throw invalid(`No SAML provider ${p.PrincipalArn} in the account`);

    const xml = Buffer.from(assertionText, 'base64').toString('utf8');
    const response = parse(xml).documentElement!;
    const status = kid(kid(response, SAMLP, 'Status'), SAMLP, 'StatusCode')?.getAttribute('Value');
    if (status !== 'urn:oasis:names:tc:SAML:2.0:status:Success') throw invalid(`The SAML response status is ${status}`);
    const assertion = signedAssertion(xml, provider.certPem);

    const confirmation = kid(
      kid(kid(assertion, SAML, 'Subject'), SAML, 'SubjectConfirmation'),
      SAML,
      'SubjectConfirmationData',
    );
    const recipient = confirmation?.getAttribute('Recipient') ?? '';
    req.log.notes.recipient = recipient;
    if (!recipientOk(recipient)) throw invalid(`Recipient ${recipient} is not an AWS sign-in endpoint`);
    const audience = kid(
      kid(kid(assertion, SAML, 'Conditions'), SAML, 'AudienceRestriction'),
      SAML,
      'Audience',
    )?.textContent?.trim();
    if (audience !== 'urn:amazon:webservices') throw invalid(`Audience ${audience} is not urn:amazon:webservices`);
    const notOnOrAfter = Date.parse(confirmation?.getAttribute('NotOnOrAfter') ?? '');
    if (!(notOnOrAfter > req.now)) throw new AwsFault('ExpiredTokenException', 'Token must not be expired', 400);

    const attributes = new Map<string, string[]>();
    for (const statement of kids(assertion, SAML, 'AttributeStatement')) {
      for (const a of kids(statement, SAML, 'Attribute')) {
        attributes.set(
          a.getAttribute('Name') ?? '',
          kids(a, SAML, 'AttributeValue').map((v) => v.textContent?.trim() ?? ''),
        );
      }
    }
    const pairs = (attributes.get(`${ATTR}Role`) ?? []).map((v) => v.split(',').map((s) => s.trim()));
    req.log.notes.samlRoles = pairs.length;
    const paired = pairs.some(
      (pair) => pair.length === 2 && pair.includes(p.RoleArn!) && pair.includes(p.PrincipalArn!),
    );
    if (!paired) throw deny(`the Role attribute does not pair ${p.RoleArn} with ${p.PrincipalArn}`);
    const role = sts.roles[p.RoleArn!];
    if (!role) throw deny(`no role ${p.RoleArn}`);
    refuseAboveMaxSession(duration, role);
    const sessionName = attributes.get(`${ATTR}RoleSessionName`)?.[0];
    if (!sessionName || !/^[\w+=,.@-]{2,64}$/.test(sessionName))
      throw invalid('RoleSessionName attribute is missing or invalid');
    const subject = kid(kid(assertion, SAML, 'Subject'), SAML, 'NameID')?.textContent?.trim() ?? '';
    const issuer = kid(assertion, SAML, 'Issuer')?.textContent?.trim() ?? '';
    const creds = sts.issueCredentials({
      action: req.action,
      roleArn: p.RoleArn!,
      roleSessionName: sessionName,
      durationSeconds: duration,
      issuer,
      subject,
      sessionPolicy,
    });
    req.log.notes.durationSeconds = duration;
    return {
      Credentials: {
        AccessKeyId: creds.accessKeyId,
        SecretAccessKey: creds.secretAccessKey,
        SessionToken: creds.sessionToken,
        Expiration: creds.expiration,
      },
      AssumedRoleUser: { AssumedRoleId: creds.assumedRoleId, Arn: creds.assumedRoleArn },
      Subject: subject,
      SubjectType: 'persistent',
      Issuer: issuer,
      Audience: recipient,
      NameQualifier: 'fedlogin-test',
    };
  };
  sts.onQuery('AssumeRoleWithSAML', handler);
}
