import { usageError } from '../../../core/errors.js';
import { escapeControl, terminalJson } from '../../../core/escapeControl.js';
import { textTable } from '../../../output/textTable.js';
import type { CliContext } from '../../context.js';
import {
  type ProfileStatus,
  type SsoSignInStatus,
  type StatusNode,
  statusReport,
  statusTree,
} from '../../profileStatus.js';
import { warnShadowedProfiles } from '../../shadowWarning.js';

export interface StatusOptions {
  json?: boolean;
}

/** Columns aligned on screen; cells come from config files anyone may have edited: escaped. */
function table(cells: string[][]): string {
  return textTable(cells.map((row) => row.map(escapeControl)));
}

const row = (s: ProfileStatus, name: string) => [
  name,
  s.flow ?? '-',
  s.store,
  s.state,
  s.expiration ?? '-',
  s.role ?? '-',
];

/**
 * An IAM Identity Center sign-in's row: the session, its portal and region, and its token in the
 * shared cache (state and expiry in their columns; whether it renews without a person).
 */
function ssoRow(signIn: string, sso: SsoSignInStatus): string[] {
  if (!sso.token) return [`${signIn}: ${sso.problem ?? 'unusable'}`, 'sso', '-', 'none', '-', ''];
  const renews = sso.token.state === 'none' ? 'not signed in' : sso.token.renewable ? 'renewable' : 'not renewable';
  return [
    // a legacy profile's sign-in is named by its start URL already
    `${signIn}${sso.session ? ` ${sso.startUrl}` : ''} (${sso.region}), ${renews}`,
    'sso',
    'sso-cache',
    sso.token.state,
    sso.token.expiration ?? '-',
    '',
  ];
}

/** The tree as table rows: each sign-in, then its profiles, chained profiles indented under their source. */
function treeRows(tree: ReturnType<typeof statusTree>, sso: ReadonlyMap<string, SsoSignInStatus>): string[][] {
  const rows: string[][] = [];
  const walk = (node: StatusNode, depth: number) => {
    const prefix = depth === 0 ? '  ' : `${'   '.repeat(depth)}└─ `;
    rows.push(row(node.status, `${prefix}${node.status.profile}`));
    for (const child of node.chained) walk(child, depth + 1);
  };
  for (const { signIn, profiles } of tree) {
    const session = sso.get(signIn);
    rows.push(session ? ssoRow(signIn, session) : [signIn, '', '', '', '', '']);
    for (const node of profiles) walk(node, 0);
  }
  return rows;
}

/** The tree for --json: profile names only, the details are in `profiles`. */
const jsonNode = (node: StatusNode): { profile: string; expiration: string | null; chained: unknown[] } => ({
  profile: node.status.profile,
  expiration: node.status.expiration,
  chained: node.chained.map(jsonNode),
});

export async function runStatus(options: StatusOptions, context: CliContext): Promise<void> {
  const { profiles: statuses, sso } = await statusReport(context);
  if (context.profile && statuses.length === 0) {
    throw usageError('PROFILE_NOT_FOUND', `No profile "${context.profile}" in the AWS config file.`, {
      hint: `Create it with: fedlogin configure --profile ${context.profile}`,
    });
  }
  if (options.json) {
    const signIns = statusTree(statuses).map((t) => ({
      signIn: t.signIn,
      ...(sso.has(t.signIn) ? { sso: sso.get(t.signIn) } : {}),
      profiles: t.profiles.map(jsonNode),
    }));
    context.stdout(`${terminalJson({ profiles: statuses, signIns }, 2)}\n`);
  } else if (statuses.length === 0) {
    context.logger.notice('No fedlogin profiles yet. Create one with: fedlogin configure --profile NAME');
  } else {
    context.stdout(
      table([
        ['SIGN-IN / PROFILE', 'FLOW', 'STORE', 'STATE', 'EXPIRES', 'ROLE'],
        ...treeRows(statusTree(statuses), sso),
      ]),
    );
  }
  warnShadowedProfiles(context);
}
