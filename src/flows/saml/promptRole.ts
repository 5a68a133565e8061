import { openSync } from 'node:fs';
import { ReadStream, WriteStream } from 'node:tty';
import { abortedError } from '../../core/errors.js';
import { groupRolesByAccount } from './chooseRole.js';
import type { SamlRole } from './samlRole.js';

/**
 * Asks which role to assume: a searchable list grouped by account, on /dev/tty (stdout may carry
 * credentials and stderr may be captured). Ctrl-C is an abort.
 */
export async function promptForRole(
  roles: readonly SamlRole[],
  aliases: ReadonlyMap<string, string>,
): Promise<SamlRole> {
  const { search, Separator } = await import('@inquirer/prompts');
  const groups = groupRolesByAccount(roles, aliases);
  const fdIn = openSync('/dev/tty', 'r');
  const fdOut = openSync('/dev/tty', 'w');
  const input = new ReadStream(fdIn);
  const output = new WriteStream(fdOut);
  try {
    return await search<SamlRole>(
      {
        message: `Choose a role (${roles.length}; type to filter)`,
        pageSize: 15,
        source: (term) => {
          const needle = (term ?? '').toLowerCase();
          return groups.flatMap(([account, list]) => {
            const hits = list.filter((r) => !needle || `${account} ${r.roleArn}`.toLowerCase().includes(needle));
            return hits.length === 0
              ? []
              : [
                  new Separator(`── ${account}`),
                  ...hits.map((r) => ({ name: `${r.roleName}  ${r.roleArn}`, value: r, short: r.roleArn })),
                ];
          });
        },
      },
      { input, output, clearPromptOnDone: false },
    );
  } catch (error) {
    if ((error as Error)?.name === 'ExitPromptError' || (error as Error)?.name === 'AbortPromptError')
      throw abortedError('No role chosen.');
    throw error;
  } finally {
    // the streams own the descriptors and close them
    input.destroy();
    output.destroy();
  }
}
