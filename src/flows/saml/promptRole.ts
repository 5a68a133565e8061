import type { ColourSettings } from '../../core/colour.js';
import { openPromptSession } from '../../core/terminalPrompts.js';
import { groupRolesByAccount } from './chooseRole.js';
import type { SamlRole } from './samlRole.js';

/**
 * Asks which role to assume: a searchable list grouped by account, on /dev/tty (stdout may carry
 * credentials and stderr may be captured). Ctrl-C or Esc is an abort; --no-color reaches it.
 */
export async function promptForRole(
  roles: readonly SamlRole[],
  aliases: ReadonlyMap<string, string>,
  colour: ColourSettings = { env: process.env },
): Promise<SamlRole> {
  const session = await openPromptSession({ ...colour, abortMessage: 'No role chosen.', stdio: false });
  const { prompts, context, theme, ask } = session;
  const { search, Separator } = prompts;
  const groups = groupRolesByAccount(roles, aliases);
  try {
    return await ask(
      search<SamlRole>(
        {
          message: `Choose a role (${roles.length}; type to filter)`,
          pageSize: 15,
          theme,
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
        { ...context, clearPromptOnDone: false },
      ),
    );
  } finally {
    session.close();
  }
}
