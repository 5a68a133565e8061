import { openSync } from 'node:fs';
import tty from 'node:tty';
import { abortedError } from '../../../core/errors.js';
import type { Asker } from './answers.js';

export interface TerminalAsker {
  asker: Asker;
  close(): void;
}

/**
 * configure's questions through @inquirer/prompts (loaded only here), on the terminal: stdin and
 * stderr when they are one, else /dev/tty, so stdout stays free and a redirected stderr does not
 * swallow the questions. Ctrl-C is an abort (exit 130).
 */
export async function terminalAsker(): Promise<TerminalAsker> {
  const prompts = await import('@inquirer/prompts');
  const opened: (tty.ReadStream | tty.WriteStream)[] = [];
  const input = process.stdin.isTTY ? process.stdin : track(new tty.ReadStream(openSync('/dev/tty', 'r')));
  const output = process.stderr.isTTY ? process.stderr : track(new tty.WriteStream(openSync('/dev/tty', 'w')));
  function track<T extends tty.ReadStream | tty.WriteStream>(stream: T): T {
    opened.push(stream);
    return stream;
  }
  const context = { input, output };
  const guarded = async <T>(question: Promise<T>): Promise<T> => {
    try {
      return await question;
    } catch (error) {
      if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError'))
        throw abortedError('Configuration aborted; nothing was written.');
      throw error;
    }
  };
  return {
    asker: {
      input: (q) => guarded(prompts.input({ message: q.message, default: q.default, validate: q.validate }, context)),
      select: (q) =>
        guarded(
          prompts.select<string>(
            { message: q.message, choices: q.choices.map((value) => ({ value, name: value })), default: q.default },
            context,
          ),
        ),
      confirm: (q) => guarded(prompts.confirm({ message: q.message, default: q.default }, context)),
    },
    close() {
      for (const stream of opened) stream.destroy();
      if (input === process.stdin) process.stdin.pause();
    },
  };
}
