/**
 * The one rule for colour, for everything fedlogin writes for a person (doctor's table, the
 * prompts of configure and the role picker): never with --no-color or NO_COLOR (any value, as
 * no-color.org asks), nor where the stream is not a terminal or the terminal has no colours
 * (TERM=dumb); Node's hasColors reads NO_COLOR, FORCE_COLOR and TERM from the environment given.
 */
export interface ColourSettings {
  /** --no-color */
  noColor?: boolean | undefined;
  env: NodeJS.ProcessEnv;
}

interface MaybeTerminal {
  isTTY?: boolean;
  hasColors?: (env?: object) => boolean;
}

export function colourWanted(stream: MaybeTerminal | undefined, settings: ColourSettings): boolean {
  if (settings.noColor === true || settings.env.NO_COLOR !== undefined) return false;
  if (stream?.isTTY !== true || typeof stream.hasColors !== 'function') return false;
  return stream.hasColors(settings.env);
}
