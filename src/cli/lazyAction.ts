import type { Command } from 'commander';
import type { CliContext, RunCommand } from './context.js';

/**
 * What a command does, in its own module (commands/NAME/action.ts): its options and the context in,
 * a number (the exit code) or nothing (0) out.
 */
export type Action<Options> = (options: Options, context: CliContext) => Promise<number | void>;

/** One call of a command as commander makes it: positional arguments, the options, the command. */
export interface Invocation<Options> {
  args: unknown[];
  /** commander's options by attribute name (--role-arn -> roleArn), typed as the action declares them (commander does not check) */
  options: Options;
  command: Command;
}

// `never`: any options type is accepted here; the action's own type is checked through OptionsOf.
type AnyAction = (options: never, context: CliContext) => Promise<number | void>;
type OptionsOf<A> = A extends (options: infer O, context: CliContext) => Promise<number | void> ? O : never;

/**
 * A commander action handler that imports the command's action module only when the command runs,
 * so --help and every other command never load it (esbuild makes each `import('./action.js')` its
 * own chunk: keep the argument a string literal). `input` turns commander's call into the action's
 * options (positional arguments, where a flag came from); without it, the action gets commander's
 * options as they are. It runs inside the command, so what it throws is reported like the action's.
 */
export type LazyAction = <Name extends string, Module extends Record<Name, AnyAction>>(
  load: () => Promise<Module>,
  name: Name,
  input?: (invocation: Invocation<OptionsOf<Module[Name]>>) => OptionsOf<Module[Name]>,
) => (...commanderArgs: unknown[]) => Promise<void>;

export function lazyActionFor(run: RunCommand): LazyAction {
  return (load, name, input) =>
    async (...commanderArgs) => {
      // commander calls handlers with (...positional arguments, options, command)
      const command = commanderArgs.at(-1) as Command;
      const invocation: Invocation<never> = {
        args: commanderArgs.slice(0, -2),
        options: commanderArgs.at(-2) as never,
        command,
      };
      await run(async (context) => {
        const options: unknown = input ? input(invocation) : invocation.options;
        const action = (await load())[name] as unknown as Action<unknown>;
        return action(options, context);
      }, command);
    };
}

/**
 * commander's options with `name` left out unless it was typed on the command line, so that the
 * profile's value applies when the flag was not given (--device / --no-device).
 */
export function typedOnly<Options>({ options, command }: Invocation<Options>, name: keyof Options & string): Options {
  return command.getOptionValueSource(name) === 'cli' ? options : { ...options, [name]: undefined };
}
