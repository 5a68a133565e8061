import { execFileSync } from 'node:child_process';
import { waitFor } from '../harness/polling.js';
import { runProcess } from '../harness/runProcess.js';

/**
 * A person at a terminal running an interactive shell (bash, zsh, fish): a tmux server on its own
 * socket, one session per shell, keys sent with send-keys and the screen read with capture-pane.
 * Waits are on the screen's content (bounded), never on time. `closeTmux` kills the server; it is
 * also killed when the test process exits.
 */
export interface TmuxServer {
  socket: string;
  /** starts `command` in a new session with exactly `env` (and TERM=screen, tmux's terminal) */
  shell(name: string, command: string[], options: { env: Record<string, string>; cwd: string }): Promise<TmuxShell>;
  close(): Promise<void>;
}

export interface TmuxShell {
  /** types text on the command line, as is (no Enter) */
  type(text: string): Promise<void>;
  /** presses keys by tmux's names: Tab, Enter, C-c, C-u */
  press(...keys: string[]): Promise<void>;
  /** the visible screen, lines trimmed at the end, trailing empty lines dropped */
  screen(): Promise<string>;
  /** the screen once `test` holds for it (default 20 s) */
  waitForScreen(test: (screen: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  /** abandons the line being typed and clears the screen: the prompt alone on the first line */
  reset(): Promise<void>;
}

/** The prompt every shell is given, so that a clean line is recognisable. */
export const PROMPT = '$';

export function startTmux(socket: string): TmuxServer {
  const tmux = async (args: string[], env: Record<string, string> = { PATH: process.env.PATH ?? '' }) => {
    const result = await runProcess('tmux', ['-S', socket, '-f', '/dev/null', ...args], { env, timeoutMs: 20_000 });
    if (result.code !== 0) throw new Error(`tmux ${args[0]} failed (${result.code}): ${result.stderr.trim()}`);
    return result.stdout;
  };
  const killOnExit = () => {
    try {
      execFileSync('tmux', ['-S', socket, 'kill-server'], { stdio: 'ignore', timeout: 5_000 });
    } catch {
      // no server
    }
  };
  process.once('exit', killOnExit);
  return {
    socket,
    async shell(name, command, { env, cwd }) {
      // through env -i: a session started by a running server would get the server's environment
      const exactEnv = Object.entries({ TERM: 'screen', ...env }).map(([k, v]) => `${k}=${v}`);
      await tmux([
        'new-session',
        '-d',
        '-s',
        name,
        '-x',
        '200',
        '-y',
        '50',
        '-c',
        cwd,
        '--',
        'env',
        '-i',
        ...exactEnv,
        ...command,
      ]);
      const target = ['-t', `${name}:0.0`];
      const screen = async () =>
        (await tmux(['capture-pane', '-p', ...target]))
          .split('\n')
          .map((l) => l.trimEnd())
          .join('\n')
          .trimEnd();
      const waitForScreen = async (test: (s: string) => boolean, what: string, timeoutMs = 20_000) => {
        let last = '';
        try {
          return await waitFor(
            async () => {
              last = await screen();
              return test(last) ? last : undefined;
            },
            { what: `${what} in ${name}`, timeoutMs, intervalMs: 100 },
          );
        } catch (error) {
          throw new Error(`${(error as Error).message}\n--- screen ---\n${last}\n--------------`);
        }
      };
      const atCleanPrompt = (s: string) => s === PROMPT;
      const shell: TmuxShell = {
        type: async (text) => void (await tmux(['send-keys', ...target, '-l', text])),
        press: async (...keys) => void (await tmux(['send-keys', ...target, ...keys])),
        screen,
        waitForScreen,
        async reset() {
          // A ^C that lands while a completion function still runs (a loaded machine) interrupts that
          // function instead of abandoning the line, and `clear` is then typed onto the old line:
          // the clean prompt never comes. Another ^C and `clear` recover; three tries, each bounded.
          for (let attempt = 1; ; attempt += 1) {
            try {
              await shell.press('C-c');
              await shell.type('clear');
              await shell.press('Enter');
              await waitForScreen(atCleanPrompt, 'a clean prompt', 10_000);
              break;
            } catch (error) {
              if (attempt === 3) throw error;
            }
          }
          await tmux(['clear-history', ...target]);
        },
      };
      await waitForScreen((s) => s.split('\n').some((l) => l === PROMPT), `the first prompt of ${command[0]}`, 60_000);
      await shell.reset();
      return shell;
    },
    async close() {
      process.off('exit', killOnExit);
      const panes = await tmux(['list-panes', '-a', '-F', '#{pane_pid}']).catch(() => '');
      await tmux(['kill-server']).catch(() => undefined);
      // the shells end on the SIGHUP (bash saves its history then): wait, so no file is written after
      const pids = panes.split('\n').filter(Boolean).map(Number);
      const alive = (pid: number) => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      try {
        await waitFor(() => !pids.some(alive), { what: 'the shells to end', timeoutMs: 10_000 });
      } finally {
        for (const pid of pids.filter(alive)) process.kill(pid, 'SIGKILL');
      }
    },
  };
}
