import { openSync } from 'node:fs';
import { emitKeypressEvents } from 'node:readline';
import tty from 'node:tty';
import { type ColourSettings, colourWanted } from './colour.js';
import { abortedError } from './errors.js';

/**
 * The one way fedlogin asks a person (configure's questions, the SAML role picker): the
 * @inquirer/prompts module (loaded here, on first use), on the terminal, with the colour rule of
 * colour.ts (--no-color reaches the prompts, not only NO_COLOR), and one clean abort: Ctrl-C or
 * Esc at any prompt is an `aborted` error (exit 130) with the caller's message.
 */
export interface PromptSession {
  prompts: typeof import('@inquirer/prompts');
  /** the second argument of every prompt: the terminal's streams and the abort signal */
  context: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream; signal: AbortSignal };
  /** the theme for every prompt: undefined (inquirer's colours), or one without colour */
  theme: typeof PLAIN_THEME | undefined;
  /** awaits a prompt; Ctrl-C and Esc become the aborted error */
  ask<T>(question: Promise<T>): Promise<T>;
  close(): void;
}

export interface PromptSessionOptions extends ColourSettings {
  /** the aborted error's message ("Configuration aborted; nothing was written.") */
  abortMessage: string;
  /**
   * use stdin and stderr when they are the terminal (configure); otherwise, and always when false,
   * /dev/tty: stdout may carry credentials and stderr may be captured (credential_process)
   */
  stdio: boolean;
}

const same = (text: string) => text;

/** inquirer's default theme without its colours (the same marks and layout). */
const PLAIN_THEME = {
  prefix: { idle: '?', done: '\u2714' },
  spinner: { interval: 80, frames: ['|', '/', '-', '\\'] },
  style: {
    answer: same,
    message: same,
    error: (text: string) => `> ${text}`,
    defaultAnswer: (text: string) => `(${text})`,
    help: same,
    highlight: same,
    key: (text: string) => `<${text}>`,
    disabled: (text: string) => `- ${text}`,
    description: same,
    searchTerm: same,
    keysHelpTip: (keys: [key: string, action: string][]) => keys.map(([key, action]) => `${key} ${action}`).join(' • '),
  },
};

export async function openPromptSession(options: PromptSessionOptions): Promise<PromptSession> {
  const prompts = await import('@inquirer/prompts');
  const opened: (tty.ReadStream | tty.WriteStream)[] = [];
  const track = <T extends tty.ReadStream | tty.WriteStream>(stream: T): T => {
    opened.push(stream);
    return stream;
  };
  const input =
    options.stdio && process.stdin.isTTY ? process.stdin : track(new tty.ReadStream(openSync('/dev/tty', 'r')));
  const output =
    options.stdio && process.stderr.isTTY ? process.stderr : track(new tty.WriteStream(openSync('/dev/tty', 'w')));

  // Esc: inquirer's lists and inputs ignore it; here it aborts like Ctrl-C
  const controller = new AbortController();
  emitKeypressEvents(input);
  const onKeypress = (_text: string | undefined, key: { name?: string } | undefined) => {
    if (key?.name === 'escape') controller.abort();
  };
  input.on('keypress', onKeypress);

  return {
    prompts,
    context: { input, output, signal: controller.signal },
    theme: colourWanted(output, options) ? undefined : PLAIN_THEME,
    async ask<T>(question: Promise<T>): Promise<T> {
      try {
        return await question;
      } catch (error) {
        if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError'))
          throw abortedError(options.abortMessage);
        throw error;
      }
    },
    close() {
      input.off('keypress', onKeypress);
      // the streams opened here own their descriptors and close them
      for (const stream of opened) stream.destroy();
      if (input === process.stdin) process.stdin.pause();
    },
  };
}
