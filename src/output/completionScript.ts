/**
 * Shell completion scripts for bash, zsh and fish, generated from the command tree (so they never
 * drift from it). Pure. A TAB never starts node: the tree is written into the script as tables
 * (one `case`/`switch` per question), profile names are read by the shell itself from the AWS
 * config file with sed, files and commands come from the shell's own completion.
 */

import type { CompletionShell } from './completionShells.js';

export { COMPLETION_SHELLS, type CompletionShell } from './completionShells.js';

/** What a word in a given place can be. */
export type CompletionValue =
  /** one of these words */
  | { words: readonly string[]; files?: boolean }
  /** a profile name from $AWS_CONFIG_FILE or ~/.aws/config */
  | 'profile'
  /** a file name */
  | 'file'
  /** a command line: a command name, then that command's own completion */
  | 'command'
  /** free text: nothing to offer */
  | 'text';

export interface CompletionOption {
  /** the long and short forms: ['--output', '-o'] */
  flags: string[];
  /** what its value is; absent for an option that takes none */
  value?: CompletionValue | undefined;
}

export interface CompletionCommand {
  name: string;
  options: CompletionOption[];
  /** the positional argument(s), if any */
  argument?: CompletionValue | undefined;
  commands: CompletionCommand[];
}

/**
 * The program: its own options (before a command name) and its commands. A command's options are
 * all it accepts (fedlogin's global options are repeated on every command); --help and -h are
 * added everywhere.
 */
export interface CompletionSpec {
  program: string;
  options: CompletionOption[];
  commands: CompletionCommand[];
}

/** sed over the AWS config file (a shell expression naming it) printing `[profile X]` names and default. */
const profilesSed = (file: string) =>
  `sed -n -e 's/^[[:space:]]*\\[profile[[:space:]]\\{1,\\}\\([^]]*\\)\\][[:space:]]*$/\\1/p' -e 's/^[[:space:]]*\\[default\\][[:space:]]*$/default/p' ${file} 2>/dev/null`;

/** A word the scripts carry unquoted inside double or single quotes: no spaces or quoting characters. */
const PLAIN_WORD = /^[A-Za-z0-9._:+@%,=/{}-]+$/;
function plain(word: string): string {
  if (!PLAIN_WORD.test(word)) throw new Error(`completion: "${word}" cannot be written into a completion table`);
  return word;
}

/**
 * A value as the scripts' tables name it: `words:a b c`, `filewords:a b c` (files too), profile,
 * file, command, text.
 */
function valueKind(value: CompletionValue): string {
  if (typeof value === 'string') return value;
  return `${value.files ? 'filewords' : 'words'}:${value.words.map(plain).join(' ')}`;
}

/** One place in the command tree: `saml decode` (path), what follows it. */
interface Node {
  path: string;
  subcommands: string[];
  /** every option valid here, --help and -h too */
  options: string[];
  argument: string;
  /** [path, flag, kind] of the options that take a value here */
  values: [string, string, string][];
}

const HELP_FLAGS = ['--help', '-h'];

function nodes(spec: CompletionSpec): Node[] {
  const flagsOf = (options: CompletionOption[]) => [...options.flatMap((o) => o.flags.map(plain)), ...HELP_FLAGS];
  const valuesOf = (path: string, options: CompletionOption[]) =>
    options.flatMap((o) =>
      o.value ? o.flags.map((f): [string, string, string] => [path, f, valueKind(o.value!)]) : [],
    );
  const out: Node[] = [
    {
      path: '',
      subcommands: spec.commands.map((c) => plain(c.name)),
      options: flagsOf(spec.options),
      argument: '',
      values: valuesOf('', spec.options),
    },
  ];
  const walk = (command: CompletionCommand, parent: string) => {
    const path = parent ? `${parent} ${plain(command.name)}` : plain(command.name);
    out.push({
      path,
      subcommands: command.commands.map((c) => plain(c.name)),
      options: flagsOf(command.options),
      argument: command.argument ? valueKind(command.argument) : '',
      values: valuesOf(path, command.options),
    });
    for (const sub of command.commands) walk(sub, path);
  };
  for (const command of spec.commands) walk(command, '');
  return out;
}

const fnPrefix = (program: string) => `__${program.replace(/[^A-Za-z0-9_]/g, '_')}`;

/**
 * The tables and the walk over the words typed so far, in the shell language bash and zsh share.
 * After `P_walk WORDS...` (the program name first, the word being completed left out):
 * P_path is the command reached (`saml decode`), P_want the kind of value the current word is
 * (empty when it is not an option's value), P_offset the index of the word where a command line
 * of its own starts (`exec -- aws s3 ls`: 3; 0 when none).
 */
function posixCore(spec: CompletionSpec, f: string): string {
  const all = nodes(spec);
  const nodeCases = all
    .map(
      (n) =>
        `    "${n.path}") ${f}_sub="${n.subcommands.join(' ')}"; ${f}_opts="${n.options.join(' ')}"; ${f}_arg="${n.argument}" ;;`,
    )
    .join('\n');
  const valueCases = all
    .flatMap((n) => n.values)
    .map(([path, flag, kind]) => `    "${path} ${flag}") ${f}_kind="${kind}" ;;`)
    .join('\n');
  return `${f}_node() {
  case "$1" in
${nodeCases}
    *) ${f}_sub=""; ${f}_opts=""; ${f}_arg="" ;;
  esac
}
${f}_value() {
  case "$1 $2" in
${valueCases}
    *) ${f}_kind="" ;;
  esac
}
${f}_walk() {
  ${f}_path=""; ${f}_want=""; ${f}_offset=0
  local word n=0
  shift
  while [ $# -gt 0 ]; do
    word=$1; shift; n=$((n + 1))
    if [ -n "$${f}_want" ]; then ${f}_want=""; continue; fi
    ${f}_node "$${f}_path"
    case "$word" in
      --) if [ "$${f}_arg" = command ]; then ${f}_offset=$((n + 1)); return; fi ;;
      --*=*) ;;
      -*) ${f}_value "$${f}_path" "$word"; ${f}_want=$${f}_kind ;;
      *)
        case " $${f}_sub " in
          *" $word "*) ${f}_path="$${f}_path\${${f}_path:+ }$word" ;;
          *) if [ "$${f}_arg" = command ]; then ${f}_offset=$n; return; fi ;;
        esac ;;
    esac
  done
  ${f}_node "$${f}_path"
}
${f}_profiles() {
  ${profilesSed('"${AWS_CONFIG_FILE:-$HOME/.aws/config}"')}
}`;
}

function bash(spec: CompletionSpec): string {
  const f = fnPrefix(spec.program);
  return `# ${spec.program} completion for bash: source <(${spec.program} completion bash)
${posixCore(spec, f)}
${f}_complete_value() {
  local IFS=$'\\n'
  case "$1" in
    words:*) COMPREPLY=( $(IFS=' '; compgen -W "\${1#words:}" -- "$2") ) ;;
    filewords:*) compopt -o filenames 2>/dev/null
      COMPREPLY=( $(IFS=' '; compgen -W "\${1#filewords:}" -- "$2") $(compgen -f -- "$2") ) ;;
    profile) COMPREPLY=( $(compgen -W "$(${f}_profiles)" -- "$2") ) ;;
    file) compopt -o filenames 2>/dev/null; COMPREPLY=( $(compgen -f -- "$2") ) ;;
    command) compopt -o filenames 2>/dev/null; COMPREPLY=( $(compgen -c -d -- "$2") ) ;;
    *) COMPREPLY=() ;;
  esac
}
# the words from index $1 on are a command line of their own: complete it as that command's
${f}_command_line() {
  local offset=$1 cmd spec fn
  if (( COMP_CWORD == offset )); then ${f}_complete_value command "\${COMP_WORDS[COMP_CWORD]}"; return; fi
  if declare -F _command_offset >/dev/null; then _command_offset "$offset"; return; fi
  # without the bash-completion package: the command's own completion function, else files
  cmd=\${COMP_WORDS[offset]}
  spec=$(complete -p -- "$cmd" 2>/dev/null)
  if [[ $spec =~ -F\\ ([^ ]+) ]]; then
    fn=\${BASH_REMATCH[1]}
    COMP_WORDS=( "\${COMP_WORDS[@]:offset}" )
    COMP_CWORD=$(( COMP_CWORD - offset ))
    COMP_LINE="\${COMP_WORDS[*]}"
    COMP_POINT=\${#COMP_LINE}
    "$fn" "$cmd" "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
  else
    ${f}_complete_value file "\${COMP_WORDS[COMP_CWORD]}"
  fi
}
_${f.slice(2)}_complete() {
  local cur=\${COMP_WORDS[COMP_CWORD]}
  COMPREPLY=()
  ${f}_walk "\${COMP_WORDS[@]:0:COMP_CWORD}"
  if (( ${f}_offset > 0 )); then ${f}_command_line "$${f}_offset"; return 0; fi
  if [[ -n $${f}_want ]]; then ${f}_complete_value "$${f}_want" "$cur"; return 0; fi
  if [[ $cur == -* ]]; then COMPREPLY=( $(compgen -W "$${f}_opts" -- "$cur") ); return 0; fi
  if [[ -n $${f}_sub ]]; then COMPREPLY=( $(compgen -W "$${f}_sub" -- "$cur") ); return 0; fi
  ${f}_complete_value "$${f}_arg" "$cur"
  return 0
}
complete -F _${f.slice(2)}_complete ${spec.program}
`;
}

function zsh(spec: CompletionSpec): string {
  const f = fnPrefix(spec.program);
  const p = spec.program;
  return `#compdef ${p}
# ${p} completion for zsh (after compinit): source <(${p} completion zsh)
# or save it as _${p} in a directory of $fpath
${posixCore(spec, f)}
${f}_complete_value() {
  case "$1" in
    words:*) compadd -- \${=\${1#words:}} ;;
    filewords:*) compadd -- \${=\${1#filewords:}}; _files ;;
    profile) compadd -- \${(f)"$(${f}_profiles)"} ;;
    file) _files ;;
    command) _command_names -e ;;
  esac
}
_${p.replace(/[^A-Za-z0-9_]/g, '_')}() {
  local cur=\${words[CURRENT]}
  ${f}_walk "\${(@)words[1,CURRENT-1]}"
  if (( ${f}_offset > 0 )); then
    # a command line of its own (exec -- aws s3 ls): complete it as that command's
    shift $${f}_offset words
    (( CURRENT -= ${f}_offset ))
    _normal
    return
  fi
  if [[ -n $${f}_want ]]; then ${f}_complete_value "$${f}_want"; return; fi
  if [[ $cur == -* ]]; then compadd -- \${=${f}_opts}; return; fi
  if [[ -n $${f}_sub ]]; then compadd -- \${=${f}_sub}; return; fi
  ${f}_complete_value "$${f}_arg"
}
if [[ \${zsh_eval_context[-1]} == loadautofunc ]]; then
  _${p.replace(/[^A-Za-z0-9_]/g, '_')} "$@"
else
  compdef _${p.replace(/[^A-Za-z0-9_]/g, '_')} ${p}
fi
`;
}

function fish(spec: CompletionSpec): string {
  const p = spec.program;
  const f = fnPrefix(p);
  const all = nodes(spec);
  const nodeCases = all
    .map(
      (n) =>
        `    case '${n.path}'\n      set -g ${f}_sub '${n.subcommands.join(' ')}'\n      set -g ${f}_opts '${n.options.join(' ')}'\n      set -g ${f}_arg '${n.argument}'`,
    )
    .join('\n');
  const valueCases = all
    .flatMap((n) => n.values)
    .map(([path, flag, kind]) => `    case '${path} ${flag}'\n      set -g ${f}_kind '${kind}'`)
    .join('\n');
  return `# ${p} completion for fish: ${p} completion fish | source
# or save it as ~/.config/fish/completions/${p}.fish
function ${f}_node
  switch "$argv[1]"
${nodeCases}
    case '*'
      set -g ${f}_sub ''; set -g ${f}_opts ''; set -g ${f}_arg ''
  end
end
function ${f}_value
  switch "$argv[1] $argv[2]"
${valueCases}
    case '*'
      set -g ${f}_kind ''
  end
end
function ${f}_walk
  set -g ${f}_path ''; set -g ${f}_want ''; set -g ${f}_offset 0
  set -l n 0
  for word in $argv[2..-1]
    set n (math $n + 1)
    if test -n "$${f}_want"
      set ${f}_want ''
      continue
    end
    ${f}_node "$${f}_path"
    switch $word
      case '--'
        if test "$${f}_arg" = command
          set ${f}_offset (math $n + 1)
          return
        end
      case '--*=*'
      case '-*'
        ${f}_value "$${f}_path" $word
        set ${f}_want $${f}_kind
      case '*'
        if contains -- $word (string split ' ' -- $${f}_sub)
          set ${f}_path (string trim -- "$${f}_path $word")
        else if test "$${f}_arg" = command
          set ${f}_offset $n
          return
        end
    end
  end
  ${f}_node "$${f}_path"
end
function ${f}_profiles
  set -l file $AWS_CONFIG_FILE
  test -n "$file"; or set file $HOME/.aws/config
  ${profilesSed('"$file"')}
end
function ${f}_complete_value
  set -l kind $argv[1]
  set -l cur $argv[2]
  switch $kind
    case 'words:*'
      string split ' ' -- (string replace 'words:' '' -- $kind)
    case 'filewords:*'
      string split ' ' -- (string replace 'filewords:' '' -- $kind)
      __fish_complete_path $cur
    case profile
      ${f}_profiles
    case file
      __fish_complete_path $cur
    case command
      complete -C "$cur"
  end
end
function ${f}_complete
  set -l tokens (commandline -opc)
  set -l cur (commandline -ct)
  ${f}_walk $tokens
  if test $${f}_offset -gt 0
    # a command line of its own (exec -- aws s3 ls): complete it as that command's
    complete -C (string join ' ' -- (string escape -- $tokens[(math $${f}_offset + 1)..-1]) "$cur")
    return
  end
  if test -n "$${f}_want"
    ${f}_complete_value $${f}_want $cur
  else if string match -q -- '-*' $cur
    string split ' ' -- $${f}_opts
  else if test -n "$${f}_sub"
    string split ' ' -- $${f}_sub
  else
    ${f}_complete_value "$${f}_arg" $cur
  end
end
complete -c ${p} -f -a '(${f}_complete)'
`;
}

export function completionScript(shell: CompletionShell, spec: CompletionSpec): string {
  switch (shell) {
    case 'bash':
      return bash(spec);
    case 'zsh':
      return zsh(spec);
    case 'fish':
      return fish(spec);
  }
}
