import { escapeControl } from '../../core/escapeControl.js';
import type { SamlAssertionInfo } from './parseAssertion.js';

/** The non-secret facts of an assertion, as `saml decode --json` prints them. Pure. */
export function assertionSummary(info: SamlAssertionInfo, aliases: ReadonlyMap<string, string>, now: number) {
  return {
    status: { code: info.status.code, subCode: info.status.subCode, message: info.status.message },
    issuer: info.issuer,
    subject: info.subject,
    recipient: info.recipient,
    destination: info.destination,
    audience: info.audience,
    notOnOrAfter: info.notOnOrAfter?.toISOString(),
    expired: info.notOnOrAfter ? info.notOnOrAfter.getTime() <= now : undefined,
    sessionDuration: info.sessionDuration,
    roleSessionName: info.roleSessionName,
    roles: info.roles.map((r) => ({
      roleArn: r.roleArn,
      principalArn: r.principalArn,
      accountId: r.accountId,
      accountAlias: aliases.get(r.accountId),
    })),
    roleProblems: info.roleProblems,
  };
}

const short = (status: string) => status.replace(/^urn:oasis:names:tc:SAML:2\.0:status:/, '');

function relative(ms: number): string {
  const abs = Math.abs(ms);
  const text =
    abs >= 3_600_000
      ? `${Math.round(abs / 3_600_000)} h`
      : abs >= 60_000
        ? `${Math.round(abs / 60_000)} min`
        : `${Math.round(abs / 1000)} s`;
  return ms > 0 ? `in ${text}` : `expired ${text} ago`;
}

/**
 * A two-column table for people, then the roles grouped by account. Pure. Every value is the IdP's
 * (or a forger's) text, so each is escaped: a NameID cannot clear the screen or start a CI command.
 */
export function formatAssertionTable(
  info: SamlAssertionInfo,
  aliases: ReadonlyMap<string, string>,
  now: number,
): string {
  const rows: [string, string][] = [
    [
      'Status',
      escapeControl(
        `${short(info.status.code)}${info.status.subCode ? `/${short(info.status.subCode)}` : ''}${info.status.message ? ` (${info.status.message})` : ''}`,
      ),
    ],
    ['Issuer', escapeControl(info.issuer ?? '-')],
    ['Subject', escapeControl(info.subject ?? '-')],
    ['Recipient', escapeControl(info.recipient ?? '-')],
    ['Audience', escapeControl(info.audience ?? '-')],
    [
      'NotOnOrAfter',
      info.notOnOrAfter ? `${info.notOnOrAfter.toISOString()} (${relative(info.notOnOrAfter.getTime() - now)})` : '-',
    ],
    ['SessionDuration', info.sessionDuration === undefined ? '-' : `${info.sessionDuration} s`],
    ['RoleSessionName', escapeControl(info.roleSessionName ?? '-')],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  lines.push(`Roles (${info.roles.length})`);
  for (const role of info.roles) {
    const alias = aliases.get(role.accountId);
    lines.push(`  ${role.roleArn}${alias ? `  [${escapeControl(alias)}]` : ''}`, `      via ${role.principalArn}`);
  }
  for (const problem of info.roleProblems) lines.push(`  unusable: ${problem}`);
  return lines.join('\n') + '\n';
}
