/**
 * Account names from the AWS SAML role-selection page. A browser that posts a SAMLResponse with
 * several roles to the AWS sign-in ACS (https://signin.aws.amazon.com/saml, the assertion's
 * intended recipient) gets a page listing the roles under one block per account:
 *
 *   <fieldset>
 *     <div class="saml-account"> <div onClick="expandCollapse(0);">
 *       <img id="image0" src="/static/image/down.png" valign="middle"></img>
 *       <div class="saml-account-name">Account: prod-main (123456789012)</div>
 *     </div> ... <label for="arn:aws:iam::123456789012:role/Admin" class="saml-role-description">Admin</label> ...
 *
 * An account without an IAM account alias reads "Account: 123456789012" and gives no name. The
 * same POST is what saml2aws and similar tools make to show account names; the page needs nothing
 * but the assertion (no cookie, no credentials).
 */
import { federationBaseUrl } from '../../aws/consoleUrls.js';
import type { HttpFetch } from '../../aws/network/httpRequest.js';
import { type PartitionName, partitionByName } from '../../aws/partition.js';
import { isFedloginError } from '../../core/errors.js';
import { escapeControl } from '../../core/escapeControl.js';
import type { Logger } from '../../core/logger.js';
import type { SamlAssertionInfo } from './parseAssertion.js';

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** HTML character references (named: the few a server escapes; numeric: all). Pure. */
export function decodeHtmlText(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

const ACCOUNT_NAME_DIV =
  /<div\b[^>]*\bclass\s*=\s*(["'])(?:[^"']*\s)?saml-account-name(?:\s[^"']*)?\1[^>]*>([\s\S]*?)<\/div\s*>/gi;
const LABEL = /^Account:\s*(.*?)\s*\((\d{12})\)$/;

/**
 * Account ID -> name from the role-selection page: the text of every
 * `<div class="saml-account-name">` block (tags inside dropped, character references decoded,
 * blanks folded), read as "Account: NAME (ID)". "Account: ID" (no alias) and anything else are
 * skipped. The names are the page's text, unescaped: escape before printing. Pure.
 */
export function parseAwsAccountNames(html: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const match of html.matchAll(ACCOUNT_NAME_DIV)) {
    const text = decodeHtmlText(match[2]!.replace(/<[^>]*>/g, ''))
      .replace(/\s+/g, ' ')
      .trim();
    const label = LABEL.exec(text);
    if (label?.[1] && !names.has(label[2]!)) names.set(label[2]!, label[1]);
  }
  return names;
}

/**
 * An account name as a part of a profile name: runs of anything outside A-Z a-z 0-9 _ . @ + -
 * become one "-", with none at either end; '' when nothing is left. Pure.
 */
export function profileSafeName(name: string): string {
  return name
    .replace(/[^\w.@+-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** https://signin.aws.amazon.com/saml and the regional ones (us-east-2.signin.aws.amazon.com), per partition. */
function isAwsSamlAcs(url: URL, partition: PartitionName): boolean {
  const host = partitionByName(partition)?.signinHost;
  if (!host || url.protocol !== 'https:' || url.port !== '' || url.pathname !== '/saml') return false;
  return url.hostname === host || new RegExp(`^[a-z0-9-]+\\.${host.replace(/\./g, '\\.')}$`).test(url.hostname);
}

/**
 * Where to post the assertion: FEDLOGIN_SIGNIN_ENDPOINT's origin + /saml (the test override of the
 * sign-in origin), else the assertion's Recipient (or Destination) when it is an AWS sign-in ACS
 * of the roles' partition; undefined otherwise (the assertion goes nowhere but AWS). Pure.
 */
export function samlSigninUrl(info: SamlAssertionInfo, override: string | undefined): string | undefined {
  if (override?.trim()) return new URL('saml', federationBaseUrl(partitionByName('aws')!, override)).toString();
  const partition = info.roles[0]?.partition ?? 'aws';
  for (const candidate of [info.recipient, info.destination]) {
    if (!candidate) continue;
    try {
      const url = new URL(candidate);
      if (isAwsSamlAcs(url, partition)) return url.toString();
    } catch {
      // not a URL: try the next
    }
  }
  return undefined;
}

export interface AccountNamesDeps {
  /** httpRequest (the node:http layer: proxy and CA aware) in the CLI */
  fetch: HttpFetch;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/**
 * The account names AWS shows for this assertion's roles. Never fails: any problem (no AWS
 * recipient, unreachable, an answer without names) is one notice, and the result is empty (the
 * caller falls back to account IDs).
 */
export async function fetchAwsAccountNames(
  samlResponse: string,
  info: SamlAssertionInfo,
  deps: AccountNamesDeps,
): Promise<Map<string, string>> {
  const fallback = 'account IDs are used where no --account-aliases name is given';
  let url: string | undefined;
  try {
    url = samlSigninUrl(info, deps.env.FEDLOGIN_SIGNIN_ENDPOINT);
  } catch (error) {
    if (!isFedloginError(error)) throw error;
    deps.logger.notice(`Account names from AWS: ${error.message} ${fallback}.`);
    return new Map();
  }
  if (!url) {
    deps.logger.notice(
      `Account names from AWS: the assertion's recipient is not an AWS sign-in page; ${fallback} (--no-account-names-from-aws stops the lookup).`,
    );
    return new Map();
  }
  const origin = new URL(url).origin;
  deps.logger.debug(`asking ${origin}/saml for the account names of the role-selection page`);
  try {
    const response = await deps.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams({ SAMLResponse: samlResponse, RelayState: '' }).toString(),
      redirect: 'manual',
      signal: AbortSignal.timeout(deps.timeoutMs ?? 15_000),
    });
    const html = await response.text();
    if (response.status !== 200) {
      deps.logger.notice(`Account names from AWS: ${origin} answered HTTP ${response.status}; ${fallback}.`);
      return new Map();
    }
    const names = parseAwsAccountNames(html);
    deps.logger.debug(`the role-selection page named ${names.size} accounts`);
    return names;
  } catch (error) {
    const reason = isFedloginError(error)
      ? error.message
      : (error as Error)?.name === 'TimeoutError'
        ? 'it did not answer in time'
        : `the connection failed (${escapeControl(String((error as NodeJS.ErrnoException)?.code ?? 'error'))})`;
    deps.logger.notice(`Account names from AWS: could not reach ${origin}: ${reason}; ${fallback}.`);
    return new Map();
  }
}

/**
 * The names for profile names: --account-aliases / fedlogin_account_aliases first, then AWS's
 * page for the accounts still without one (made profile-safe; escaped when printed). Pure.
 */
export function mergeAccountNames(
  aliases: ReadonlyMap<string, string>,
  fromAws: ReadonlyMap<string, string>,
): Map<string, string> {
  const merged = new Map(aliases);
  for (const [id, name] of fromAws) {
    const safe = profileSafeName(name);
    if (!merged.has(id) && safe) merged.set(id, safe);
  }
  return merged;
}
