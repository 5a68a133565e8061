import { escapeControlLines, terminalJson } from '../../../core/escapeControl.js';
import type { Check, CheckStatus } from './check.js';

const LABEL: Record<CheckStatus, string> = { ok: 'ok', warn: 'warn', fail: 'FAIL' };
const COLOUR: Record<CheckStatus, string> = { ok: '\x1b[32m', warn: '\x1b[33m', fail: '\x1b[31m' };

/** The table doctor prints: status, check (with its profile), message, and the fix under it. Pure. */
export function formatReport(checks: readonly Check[], options: { colour: boolean }): string {
  const names = checks.map((c) => (c.profile ? `${c.profile}: ${c.id}` : c.id));
  const width = Math.max(5, ...names.map((n) => n.length));
  const lines = ['STATUS  ' + 'CHECK'.padEnd(width) + '  MESSAGE'];
  checks.forEach((check, i) => {
    const label = LABEL[check.status].padEnd(6);
    const status = options.colour ? `${COLOUR[check.status]}${label}\x1b[0m` : label;
    // messages quote tokens' claims and IdPs' answers: nothing in them may act on the terminal
    lines.push(`${status}  ${names[i]!.padEnd(width)}  ${escapeControlLines(check.message)}`);
    if (check.fix) lines.push(`${' '.repeat(8 + width + 2)}fix: ${escapeControlLines(check.fix)}`);
  });
  const count = (s: CheckStatus) => checks.filter((c) => c.status === s).length;
  lines.push('', `${count('ok')} ok, ${count('warn')} warning(s), ${count('fail')} failed.`);
  return lines.join('\n') + '\n';
}

/** --json: {checks:[{id, profile, status, message, fix}]}; a chain check also has chain: {profiles, flow, hops} */
export function formatJson(checks: readonly Check[]): string {
  return (
    terminalJson(
      {
        checks: checks.map((c) => ({
          id: c.id,
          profile: c.profile ?? null,
          status: c.status,
          message: c.message,
          fix: c.fix,
          ...(c.chain ? { chain: c.chain } : {}),
        })),
      },
      2,
    ) + '\n'
  );
}
