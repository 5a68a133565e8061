import { usageError } from '../../../core/errors.js';
import { escapeControl, terminalJson } from '../../../core/escapeControl.js';
import { textTable } from '../../../output/textTable.js';
import type { CliContext } from '../../context.js';
import { profileStatuses } from '../../profileStatus.js';
import { warnShadowedProfiles } from '../../shadowWarning.js';

export interface StatusOptions {
  json?: boolean;
}

/** Columns aligned on screen; cells come from config files anyone may have edited: escaped. */
function table(cells: string[][]): string {
  return textTable(cells.map((row) => row.map(escapeControl)));
}

export async function runStatus(options: StatusOptions, context: CliContext): Promise<void> {
  const statuses = await profileStatuses(context);
  if (context.profile && statuses.length === 0) {
    throw usageError('PROFILE_NOT_FOUND', `No profile "${context.profile}" in the AWS config file.`, {
      hint: `Create it with: fedlogin configure --profile ${context.profile}`,
    });
  }
  if (options.json) {
    context.stdout(terminalJson({ profiles: statuses }, 2) + '\n');
  } else if (statuses.length === 0) {
    context.logger.notice('No fedlogin profiles yet. Create one with: fedlogin configure --profile NAME');
  } else {
    context.stdout(
      table([
        ['PROFILE', 'FLOW', 'STORE', 'STATE', 'EXPIRES', 'ROLE'],
        ...statuses.map((s) => [s.profile, s.flow ?? '-', s.store, s.state, s.expiration ?? '-', s.role ?? '-']),
      ]),
    );
  }
  warnShadowedProfiles(context);
}
