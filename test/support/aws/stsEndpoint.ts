import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { registerSecret } from '../harness/leakScan.js';
import {
  AwsFault,
  type AwsProtocolServer,
  type AwsRequest,
  type FaultSpec,
  INTERNAL_FAILURE,
  type JsonHandler,
  type QueryHandler,
  type RequestLogEntry,
  SERVICE_UNAVAILABLE,
  startAwsProtocolServer,
  THROTTLING,
} from './awsProtocolServer.js';
import { createOidcTokenVerifier, TokenVerificationError } from './oidcTokenVerifier.js';
import { headerValue, parseSigV4Authorization, verifySigV4Signature } from './sigv4.js';
import { stringLike } from './stringLike.js';

/**
 * A local STS that the real AWS SDK reaches through `endpoint` / AWS_ENDPOINT_URL_STS. It checks
 * what AWS checks (parameters, the token's signature via the issuer's JWKS, expiry, issuer,
 * audience, subject, SigV4 signatures of callers) and answers with STS's own XML and error codes.
 * More actions (AssumeRoleWithSAML) and Cognito Identity's JSON targets plug in with onQuery /
 * onJson, reusing `authenticate` and `issueCredentials`.
 */

export const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';
export const STS_API_VERSION = '2011-06-15';

export interface StsRoleTrust {
  /** the `iss` the role trusts (the IAM OIDC provider), compared exactly */
  issuer: string;
  /** the `aud` values the trust policy allows */
  audiences: string[];
  /** StringLike patterns for `sub` (`*`, `?`); any sub when left out */
  subjects?: string[];
}

export interface StsRole {
  /** web-identity trust; without it AssumeRoleWithWebIdentity into this role is denied */
  trust?: StsRoleTrust;
  /** seconds; default 3600 */
  maxSessionDuration?: number;
  /** the trust policy's sts:ExternalId condition: AssumeRole without this exact ExternalId is denied */
  externalId?: string;
}

/** Long-term keys of an IAM user, for tests where the caller is not a role session. */
export interface StsStaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** arn:aws:iam::ACCOUNT:user/NAME */
  arn: string;
}

export interface StsEndpointOptions {
  /** by role ARN, e.g. 'arn:aws:iam::123456789012:role/deploy' */
  roles: Record<string, StsRole>;
  /**
   * The account's IAM OIDC providers by issuer URL, with their client ID (audience) lists. A token
   * whose iss is neither here nor the trusted issuer of any role fails as AWS does,
   * InvalidIdentityToken "No OpenIDConnect provider found in your account for ...". With clientIds,
   * an aud outside them fails InvalidIdentityToken "Incorrect token audience".
   */
  oidcProviders?: Record<string, { clientIds?: string[] }>;
  staticCredentials?: StsStaticCredentials[];
  /** clock skew of the server in ms (its clock = Date.now() + clock); see setClockSkew */
  clock?: number;
}

export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  issuedAt: Date;
  /** the action that issued them */
  action: string;
  roleArn: string;
  roleSessionName: string;
  /** arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION */
  assumedRoleArn: string;
  /** AROA...:SESSION */
  assumedRoleId: string;
  account: string;
  /** web identity: the token's iss, sub and the aud that matched */
  issuer?: string;
  subject?: string;
  audience?: string;
  /** AssumeRole: the access key id of the caller */
  sourceAccessKeyId?: string;
  /** AssumeRole: the ExternalId sent */
  externalId?: string;
  /** the session policies sent (PolicyArns.member.N.arn, Policy), as received */
  policyArns: string[];
  policy?: string;
}

/** Who signed a request. */
export interface StsPrincipal {
  accessKeyId: string;
  arn: string;
  userId: string;
  account: string;
  /** role-session credentials (so AssumeRole from them is role chaining) */
  isRoleSession: boolean;
}

export interface StsEndpoint {
  url: string;
  /** requests per action, including refused and injected ones */
  counts: Record<string, number>;
  count(action: string): number;
  /** every request, with secrets (tokens, assertions) redacted and token claims in notes */
  requests: RequestLogEntry[];
  /** credentials issued since start or the last reset() */
  issued: IssuedCredentials[];
  /** every secret value issued since start (secret keys, session tokens), for leak scans */
  secrets(): string[];
  failNext(n: number, spec: FaultSpec): void;
  throttleNext(n: number, action?: string): void;
  failNextInternal(n: number, action?: string): void;
  failNextUnavailable(n: number, action?: string): void;
  delayNext(n: number, ms: number, action?: string): void;
  setClockSkew(ms: number): void;
  now(): number;
  /** make issued credentials expire now (the next signed call with them gets ExpiredToken) */
  expire(accessKeyId: string): void;
  /** add or replace roles while running */
  roles: Record<string, StsRole>;
  /** extension points: more Query actions, JSON targets (Cognito Identity) */
  onQuery(action: string, handler: QueryHandler): void;
  onJson(target: string, handler: JsonHandler): void;
  /** verifies the SigV4 signature of a request against credentials this endpoint knows */
  authenticate(req: AwsRequest): StsPrincipal;
  /** mints and remembers a credential set for a role session */
  issueCredentials(input: IssueInput): IssuedCredentials;
  /** clears counters, request log, `issued`, pending faults and delays; issued keys stay valid */
  reset(): void;
  close(): Promise<void>;
}

export interface IssueInput {
  action: string;
  roleArn: string;
  roleSessionName: string;
  durationSeconds: number;
  issuer?: string;
  subject?: string;
  audience?: string;
  sourceAccessKeyId?: string;
  externalId?: string;
  /** from sessionPolicyOf(params) */
  sessionPolicy?: ReceivedSessionPolicy;
}

const DEFAULT_DURATION = 3600;
const DEFAULT_MAX_SESSION = 3600;
const CHAINING_MAX = 3600;
const SESSION_NAME = /^[\w+=,.@-]*$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]*$/;
const ROLE_ARN = /^arn:([\w-]+):iam::(\d{12}):role\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]+)$/;
const SECRET_PARAMS = ['WebIdentityToken', 'SAMLAssertion', 'Logins', 'Token', 'OpenIdToken'];

export async function startStsEndpoint(opts: StsEndpointOptions): Promise<StsEndpoint> {
  const server: AwsProtocolServer = await startAwsProtocolServer({
    xmlns: STS_XMLNS,
    apiVersion: STS_API_VERSION,
    secretParams: SECRET_PARAMS,
    clockSkewMs: opts.clock ?? 0,
  });
  const roles: Record<string, StsRole> = { ...opts.roles };
  const known = new Map<string, IssuedCredentials>();
  const issued: IssuedCredentials[] = [];
  const staticKeys = new Map((opts.staticCredentials ?? []).map((c) => [c.accessKeyId, c]));
  const verifier = createOidcTokenVerifier();

  const issueCredentials = (input: IssueInput): IssuedCredentials => {
    const role = parseRoleArn(input.roleArn);
    if (!role) throw new AwsFault('ValidationError', `${input.roleArn} is invalid`);
    const now = server.now();
    const creds: IssuedCredentials = {
      accessKeyId: `ASIA${randomChars(16, UPPER_ALNUM)}`,
      secretAccessKey: randomChars(40, SECRET_CHARS),
      sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(480).toString('base64')}`,
      expiration: new Date(Math.floor((now + input.durationSeconds * 1000) / 1000) * 1000),
      issuedAt: new Date(now),
      action: input.action,
      roleArn: input.roleArn,
      roleSessionName: input.roleSessionName,
      assumedRoleArn: `arn:${role.partition}:sts::${role.account}:assumed-role/${role.name}/${input.roleSessionName}`,
      assumedRoleId: `${roleIdOf(input.roleArn)}:${input.roleSessionName}`,
      account: role.account,
      issuer: input.issuer,
      subject: input.subject,
      audience: input.audience,
      sourceAccessKeyId: input.sourceAccessKeyId,
      externalId: input.externalId,
      policyArns: input.sessionPolicy?.policyArns ?? [],
      policy: input.sessionPolicy?.policy,
    };
    known.set(creds.accessKeyId, creds);
    issued.push(creds);
    for (const secret of [creds.secretAccessKey, creds.sessionToken])
      registerSecret(secret, 'aws', `STS double ${input.action}`);
    return creds;
  };

  const authenticate = (req: AwsRequest): StsPrincipal => {
    const auth = parseSigV4Authorization(headerValue(req.headers, 'authorization'));
    req.log.notes.accessKeyId = auth.accessKeyId;
    req.log.notes.region = auth.region;
    const invalidToken = () =>
      new AwsFault('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
    const session = known.get(auth.accessKeyId);
    const user = staticKeys.get(auth.accessKeyId);
    const securityToken = headerValue(req.headers, 'x-amz-security-token');
    if (session) {
      if (securityToken !== session.sessionToken) throw invalidToken();
      verifySigV4Signature(req, auth, session.secretAccessKey, req.now, 'sts');
      if (session.expiration.getTime() <= req.now) {
        throw new AwsFault('ExpiredToken', 'The security token included in the request is expired', 400);
      }
      return {
        accessKeyId: session.accessKeyId,
        arn: session.assumedRoleArn,
        userId: session.assumedRoleId,
        account: session.account,
        isRoleSession: true,
      };
    }
    if (user) {
      if (securityToken !== undefined) throw invalidToken();
      verifySigV4Signature(req, auth, user.secretAccessKey, req.now, 'sts');
      const account = /^arn:[\w-]+:iam::(\d{12}):/.exec(user.arn)?.[1] ?? '000000000000';
      return {
        accessKeyId: user.accessKeyId,
        arn: user.arn,
        userId: userIdOf(user.arn),
        account,
        isRoleSession: false,
      };
    }
    throw invalidToken();
  };

  const registeredIssuers = () => {
    const issuers = new Set(Object.keys(opts.oidcProviders ?? {}).map(trimSlash));
    for (const role of Object.values(roles)) if (role.trust) issuers.add(trimSlash(role.trust.issuer));
    return issuers;
  };

  const assumeRoleWithWebIdentity: QueryHandler = async (req) => {
    const p = req.params;
    const errors = [
      ...checkString(p, 'RoleArn', 'roleArn', { min: 20, max: 2048 }),
      ...checkString(p, 'RoleSessionName', 'roleSessionName', { min: 2, max: 64, pattern: SESSION_NAME }),
      ...checkString(p, 'WebIdentityToken', 'webIdentityToken', { min: 4, max: 20000, sensitive: true }),
      ...checkDuration(p),
    ];
    if (errors.length > 0) throw validationError(errors);
    const roleArn = p.RoleArn!;
    if (!parseRoleArn(roleArn)) throw new AwsFault('ValidationError', 'Request ARN is invalid');
    const sessionPolicy = sessionPolicyOf(p);
    const token = p.WebIdentityToken!;
    // whoever minted it (a test's own IdP included), a token presented to STS is a secret
    registerSecret(token, 'token', 'a WebIdentityToken presented to the STS double');

    let claims: JWTPayload;
    try {
      // Note the claims before verifying, so a refused token is still described in the log.
      claims = decodeForLog(token);
      req.log.notes.tokenClaims = pickClaims(claims);
      const iss = typeof claims.iss === 'string' ? trimSlash(claims.iss) : undefined;
      if (iss !== undefined && !registeredIssuers().has(iss)) {
        throw new AwsFault('InvalidIdentityToken', `No OpenIDConnect provider found in your account for ${claims.iss}`);
      }
      claims = await verifier.verify(token, req.now);
    } catch (error) {
      throw tokenFault(error, req.now);
    }

    const iss = trimSlash(String(claims.iss));
    const audiences = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
    const providerClientIds = Object.entries(opts.oidcProviders ?? {}).find(([k]) => trimSlash(k) === iss)?.[1]
      .clientIds;
    if (providerClientIds && !audiences.some((a) => providerClientIds.includes(a))) {
      throw new AwsFault('InvalidIdentityToken', 'Incorrect token audience');
    }

    const deny = (reason: string) => {
      req.log.notes.denied = reason;
      return new AwsFault('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403);
    };
    const role = roles[roleArn];
    if (!role) throw deny(`no role ${roleArn}`);
    if (!role.trust) throw deny(`role ${roleArn} has no web-identity trust`);
    if (trimSlash(role.trust.issuer) !== iss) throw deny(`iss ${iss} is not the trusted issuer ${role.trust.issuer}`);
    const audience = audiences.find((a) => role.trust!.audiences.includes(a));
    if (audience === undefined) throw deny(`aud ${audiences.join(' ')} not in ${role.trust.audiences.join(' ')}`);
    const sub = typeof claims.sub === 'string' ? claims.sub : '';
    if (role.trust.subjects && !role.trust.subjects.some((pattern) => stringLike(pattern, sub))) {
      throw deny(`sub ${sub} matches none of ${role.trust.subjects.join(' ')}`);
    }

    const durationSeconds = p.DurationSeconds === undefined ? DEFAULT_DURATION : Number(p.DurationSeconds);
    refuseAboveMaxSession(durationSeconds, role);

    const creds = issueCredentials({
      action: req.action,
      roleArn,
      roleSessionName: p.RoleSessionName!,
      durationSeconds,
      issuer: String(claims.iss),
      subject: sub,
      audience,
      sessionPolicy,
    });
    return {
      Credentials: credentialsXml(creds),
      SubjectFromWebIdentityToken: sub,
      AssumedRoleUser: { AssumedRoleId: creds.assumedRoleId, Arn: creds.assumedRoleArn },
      Provider: String(claims.iss),
      Audience: audience,
    };
  };

  const assumeRole: QueryHandler = (req) => {
    const caller = authenticate(req);
    const p = req.params;
    const errors = [
      ...checkString(p, 'RoleArn', 'roleArn', { min: 20, max: 2048 }),
      ...checkString(p, 'RoleSessionName', 'roleSessionName', { min: 2, max: 64, pattern: SESSION_NAME }),
      ...checkDuration(p),
      ...(p.ExternalId === undefined
        ? []
        : checkString(p, 'ExternalId', 'externalId', { min: 2, max: 1224, pattern: EXTERNAL_ID })),
    ];
    if (errors.length > 0) throw validationError(errors);
    const roleArn = p.RoleArn!;
    if (!parseRoleArn(roleArn)) throw new AwsFault('ValidationError', 'Request ARN is invalid');
    const sessionPolicy = sessionPolicyOf(p);
    const role = roles[roleArn];
    if (role?.externalId !== undefined && p.ExternalId !== role.externalId) {
      req.log.notes.denied = `ExternalId ${p.ExternalId === undefined ? '(none)' : p.ExternalId} does not match the trust policy's sts:ExternalId`;
    }
    if (!role || req.log.notes.denied) {
      req.log.notes.denied ??= `no role ${roleArn}`;
      throw new AwsFault(
        'AccessDenied',
        `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
        403,
      );
    }
    const durationSeconds = p.DurationSeconds === undefined ? DEFAULT_DURATION : Number(p.DurationSeconds);
    if (caller.isRoleSession && durationSeconds > CHAINING_MAX) {
      throw new AwsFault(
        'ValidationError',
        'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
      );
    }
    refuseAboveMaxSession(durationSeconds, role);
    const creds = issueCredentials({
      action: req.action,
      roleArn,
      roleSessionName: p.RoleSessionName!,
      durationSeconds,
      sourceAccessKeyId: caller.accessKeyId,
      externalId: p.ExternalId,
      sessionPolicy,
    });
    return {
      Credentials: credentialsXml(creds),
      AssumedRoleUser: { AssumedRoleId: creds.assumedRoleId, Arn: creds.assumedRoleArn },
    };
  };

  const getCallerIdentity: QueryHandler = (req) => {
    const caller = authenticate(req);
    return { UserId: caller.userId, Account: caller.account, Arn: caller.arn };
  };

  server.onQuery('AssumeRoleWithWebIdentity', assumeRoleWithWebIdentity);
  server.onQuery('AssumeRole', assumeRole);
  server.onQuery('GetCallerIdentity', getCallerIdentity);

  return {
    url: server.url,
    counts: server.counts,
    count: server.count,
    requests: server.requests,
    issued,
    secrets: () => [...known.values()].flatMap((c) => [c.secretAccessKey, c.sessionToken]),
    failNext: server.failNext,
    throttleNext: (n, action) => server.failNext(n, { ...THROTTLING, action }),
    failNextInternal: (n, action) => server.failNext(n, { ...INTERNAL_FAILURE, action }),
    failNextUnavailable: (n, action) => server.failNext(n, { ...SERVICE_UNAVAILABLE, action }),
    delayNext: server.delayNext,
    setClockSkew: server.setClockSkew,
    now: server.now,
    expire(accessKeyId) {
      const creds = known.get(accessKeyId);
      if (!creds) throw new Error(`no credentials with access key id ${accessKeyId} were issued here`);
      creds.expiration = new Date(server.now() - 1000);
    },
    roles,
    onQuery: server.onQuery,
    onJson: server.onJson,
    authenticate,
    issueCredentials,
    reset() {
      server.reset();
      issued.length = 0;
    },
    close: () => server.close(),
  };
}

function credentialsXml(creds: IssuedCredentials) {
  return {
    AccessKeyId: creds.accessKeyId,
    SecretAccessKey: creds.secretAccessKey,
    SessionToken: creds.sessionToken,
    Expiration: creds.expiration,
  };
}

function tokenFault(error: unknown, now: number): AwsFault {
  if (error instanceof AwsFault) return error;
  if (!(error instanceof TokenVerificationError)) throw error;
  switch (error.problem) {
    case 'expired':
      // AWS's own wording, including the missing space before the second number.
      return new AwsFault(
        'ExpiredTokenException',
        `Token expired: current date/time ${Math.floor(now / 1000)} must be before the expiration date/time${String(error.claims?.exp)}`,
      );
    case 'unreachable':
      return new AwsFault(
        'IDPCommunicationError',
        'The request could not be fulfilled because the identity provider (IDP) that was asked to verify the incoming identity token could not be reached. This is often a transient error caused by network conditions. Retry the request a limited number of times and wait a reasonable amount of time between each attempt.',
      );
    case 'signature':
    case 'malformed':
      return new AwsFault(
        'InvalidIdentityToken',
        'The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.',
      );
  }
}

/** Decodes claims without verifying, for the log; a malformed token becomes TokenVerificationError. */
function decodeForLog(token: string): JWTPayload {
  const parts = token.split('.');
  try {
    if (parts.length !== 3) throw new Error('not three parts');
    const payload: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw new Error('payload not an object');
    return payload as JWTPayload;
  } catch (cause) {
    throw new TokenVerificationError('malformed', 'the token is not a JWT', undefined, cause);
  }
}

function pickClaims(claims: JWTPayload) {
  return { iss: claims.iss, aud: claims.aud, sub: claims.sub, exp: claims.exp };
}

interface StringRule {
  min: number;
  max: number;
  pattern?: RegExp;
  sensitive?: boolean;
}

/** AWS's validation messages: "Value 'x' at 'roleSessionName' failed to satisfy constraint: ..." */
function checkString(params: Record<string, string>, name: string, member: string, rule: StringRule): string[] {
  const value = params[name];
  if (value === undefined) return [`Value null at '${member}' failed to satisfy constraint: Member must not be null`];
  const shown = rule.sensitive ? `Value at '${member}'` : `Value '${value}' at '${member}'`;
  const errors: string[] = [];
  if (value.length < rule.min) {
    errors.push(`${shown} failed to satisfy constraint: Member must have length greater than or equal to ${rule.min}`);
  }
  if (value.length > rule.max) {
    errors.push(`${shown} failed to satisfy constraint: Member must have length less than or equal to ${rule.max}`);
  }
  if (rule.pattern && !rule.pattern.test(value)) {
    errors.push(`${shown} failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
  }
  return errors;
}

function checkDuration(params: Record<string, string>): string[] {
  const raw = params.DurationSeconds;
  if (raw === undefined) return [];
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw))
    return [`Value '${raw}' at 'durationSeconds' failed to satisfy constraint: Member must be an integer`];
  if (value < 900) {
    return [
      `Value '${raw}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`,
    ];
  }
  if (value > 43200) {
    return [
      `Value '${raw}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200`,
    ];
  }
  return [];
}

function validationError(errors: string[]): AwsFault {
  const n = errors.length;
  return new AwsFault('ValidationError', `${n} validation error${n === 1 ? '' : 's'} detected: ${errors.join('; ')}`);
}

/** AWS's ValidationError for a DurationSeconds above the role's MaxSessionDuration (1 hour unless the role says). */
export function refuseAboveMaxSession(durationSeconds: number, role: StsRole): void {
  if (durationSeconds > (role.maxSessionDuration ?? DEFAULT_MAX_SESSION)) {
    throw new AwsFault(
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
  }
}

export function parseRoleArn(arn: string): { partition: string; account: string; name: string } | undefined {
  const m = ROLE_ARN.exec(arn);
  return m ? { partition: m[1]!, account: m[2]!, name: m[3]! } : undefined;
}

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const SECRET_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function randomChars(length: number, alphabet: string): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** A stable AROA... id per role, as IAM gives each role one unique id. */
function roleIdOf(roleArn: string): string {
  return `AROA${stableChars(roleArn, 17)}`;
}

function userIdOf(userArn: string): string {
  return `AIDA${stableChars(userArn, 17)}`;
}

function stableChars(seed: string, length: number): string {
  const digest = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += UPPER_ALNUM[digest[i]! % UPPER_ALNUM.length];
  return out;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** What a request carried as session policies. */
export interface ReceivedSessionPolicy {
  policyArns: string[];
  policy?: string;
}

/** STS's limits: at most 10 managed policy ARNs (each 20 to 2048 characters), and Policy 1 to 2048 characters. */
export const MAX_POLICY_ARNS = 10;
export const MAX_POLICY_CHARS = 2048;
/**
 * The packed-size simulation. AWS packs the inline policy, the managed policy ARNs and session tags
 * into a compressed binary form of undisclosed layout and refuses with PackedPolicyTooLarge
 * ("Packed policy consumes N% of allotted space") when it overflows, which can happen with a
 * policy below the 2,048-character limit. This stand-in counts the inline policy's characters
 * without whitespace plus PACKED_ARN_WEIGHT per managed ARN against PACKED_LIMIT: with 10 ARNs, an
 * inline policy above 1,048 characters overflows. Only the shape of AWS's behaviour is honest
 * here (a limit below the plain-text one that the ARNs eat into), not its exact figures.
 */
export const PACKED_LIMIT = 2048;
export const PACKED_ARN_WEIGHT = 100;

/**
 * Reads PolicyArns.member.N.arn and Policy the way STS does: the list's length and each ARN's
 * length, the Policy's length (ValidationError), JSON (MalformedPolicyDocument), then the packed
 * size (PackedPolicyTooLarge).
 */
export function sessionPolicyOf(params: Record<string, string>): ReceivedSessionPolicy {
  const policyArns: string[] = [];
  for (let n = 1; params[`PolicyArns.member.${n}.arn`] !== undefined; n++)
    policyArns.push(params[`PolicyArns.member.${n}.arn`]!);
  const errors: string[] = [];
  if (policyArns.length > MAX_POLICY_ARNS)
    errors.push(
      `Value '[${policyArns.map((arn) => `PolicyDescriptorType(arn=${arn})`).join(', ')}]' at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to ${MAX_POLICY_ARNS}`,
    );
  for (const arn of policyArns)
    if (arn.length < 20 || arn.length > 2048)
      errors.push(
        `Value '${arn}' at 'policyArns.member.arn' failed to satisfy constraint: Member must have length between 20 and 2048`,
      );
  const policy = params.Policy;
  if (policy !== undefined && (policy.length < 1 || policy.length > MAX_POLICY_CHARS))
    errors.push(
      `Value '${policy}' at 'policy' failed to satisfy constraint: Member must have length less than or equal to ${MAX_POLICY_CHARS}`,
    );
  if (errors.length > 0) throw validationError(errors);
  for (const arn of policyArns)
    if (!/^arn:[\w-]+:iam::(\d{12}|aws):policy\//.test(arn))
      throw new AwsFault('ValidationError', `Invalid ARN: ${arn}`);
  let packed = policyArns.length * PACKED_ARN_WEIGHT;
  if (policy !== undefined) {
    let document: unknown;
    try {
      document = JSON.parse(policy);
    } catch {
      throw new AwsFault('MalformedPolicyDocument', 'The policy is not in the valid JSON format.');
    }
    packed += JSON.stringify(document).length;
  }
  if (packed > PACKED_LIMIT) {
    throw new AwsFault(
      'PackedPolicyTooLarge',
      `Packed policy consumes ${Math.ceil((packed * 100) / PACKED_LIMIT)}% of allotted space, please use smaller policy.`,
    );
  }
  return { policyArns, ...(policy !== undefined ? { policy } : {}) };
}
