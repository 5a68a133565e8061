import type { ColourSettings } from '../../../core/colour.js';
import { openPromptSession } from '../../../core/terminalPrompts.js';
import type { Asker } from './answers.js';

export interface TerminalAsker {
  asker: Asker;
  close(): void;
}

/**
 * configure's questions on the terminal (core/terminalPrompts: stdin and stderr when they are one,
 * else /dev/tty, so stdout stays free and a redirected stderr does not swallow the questions).
 * Ctrl-C or Esc is an abort (exit 130); --no-color and NO_COLOR give prompts without colour.
 */
export async function terminalAsker(colour: ColourSettings): Promise<TerminalAsker> {
  const session = await openPromptSession({
    ...colour,
    abortMessage: 'Configuration aborted; nothing was written.',
    stdio: true,
  });
  const { prompts, context, theme, ask } = session;
  return {
    asker: {
      input: (q) =>
        ask(prompts.input({ message: q.message, default: q.default, validate: q.validate, theme }, context)),
      select: (q) =>
        ask(
          prompts.select<string>(
            {
              message: q.message,
              choices: q.choices.map((value) => ({ value, name: value, description: q.descriptions?.[value] })),
              default: q.default,
              theme,
            },
            context,
          ),
        ),
      confirm: (q) => ask(prompts.confirm({ message: q.message, default: q.default, theme }, context)),
    },
    close: () => session.close(),
  };
}
