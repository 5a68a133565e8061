/**
 * Shell completion scripts, generated from the command tree (so they never drift from it). Pure.
 * Profile names are read by the shell itself from the AWS config file with sed, so a TAB never
 * starts node.
 */
export interface CompletionCommand {
  name: string;
  options: string[];
}

export interface CompletionSpec {
  program: string;
  globalOptions: string[];
  commands: CompletionCommand[];
}

export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

/** Options whose value is a profile name. */
const PROFILE_OPTIONS = ['--profile', '-p'];

/** sed over the AWS config file (a shell expression naming it) printing `[profile X]` names and default. */
const profilesSed = (file: string) =>
  `sed -n -e 's/^[[:space:]]*\\[profile[[:space:]]\\{1,\\}\\([^]]*\\)\\][[:space:]]*$/\\1/p' -e 's/^[[:space:]]*\\[default\\][[:space:]]*$/default/p' ${file} 2>/dev/null`;
const PROFILES_SED = profilesSed('"${AWS_CONFIG_FILE:-$HOME/.aws/config}"');

const words = (list: string[]) => list.join(' ');
const fnName = (program: string) => `_${program.replace(/[^A-Za-z0-9_]/g, '_')}_complete`;

function bash(spec: CompletionSpec): string {
  const fn = fnName(spec.program);
  const cases = spec.commands
    .map((c) => `    ${c.name}) opts="${words([...c.options, ...spec.globalOptions])}" ;;`)
    .join('\n');
  return `# ${spec.program} completion for bash: source <(${spec.program} completion bash)
${fn}() {
  local cur prev cmd="" i opts
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  case "$prev" in
    ${PROFILE_OPTIONS.join('|')})
      COMPREPLY=( $(compgen -W "$(${PROFILES_SED})" -- "$cur") )
      return 0 ;;
  esac
  for (( i=1; i<COMP_CWORD; i++ )); do
    case "\${COMP_WORDS[i]}" in
      -*) ;;
      *) cmd="\${COMP_WORDS[i]}"; break ;;
    esac
  done
  case "$cmd" in
${cases}
    *) opts="${words(spec.globalOptions)}" ;;
  esac
  if [[ -z "$cmd" && "$cur" != -* ]]; then
    COMPREPLY=( $(compgen -W "${words(spec.commands.map((c) => c.name))}" -- "$cur") )
  else
    COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
  fi
  return 0
}
complete -F ${fn} ${spec.program}
`;
}

function zsh(spec: CompletionSpec): string {
  // zsh runs bash completion functions through bashcompinit, which keeps one script to test.
  return `# ${spec.program} completion for zsh: source <(${spec.program} completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bash(spec).split('\n').slice(1).join('\n')}`;
}

function fish(spec: CompletionSpec): string {
  const p = spec.program;
  const names = words(spec.commands.map((c) => c.name));
  const lines = [
    `# ${p} completion for fish: ${p} completion fish | source`,
    `complete -c ${p} -f`,
    `function __${p}_profiles`,
    '  set -l file $AWS_CONFIG_FILE',
    '  test -n "$file"; or set file $HOME/.aws/config',
    `  ${profilesSed('$file')}`,
    'end',
    `complete -c ${p} -n "not __fish_seen_subcommand_from ${names}" -a "${names}"`,
    `complete -c ${p} -s p -l profile -x -a "(__${p}_profiles)"`,
  ];
  for (const option of spec.globalOptions.filter((o) => o.startsWith('--') && !PROFILE_OPTIONS.includes(o))) {
    lines.push(`complete -c ${p} -l ${option.slice(2)}`);
  }
  for (const command of spec.commands) {
    for (const option of command.options.filter((o) => o.startsWith('--'))) {
      lines.push(`complete -c ${p} -n "__fish_seen_subcommand_from ${command.name}" -l ${option.slice(2)}`);
    }
  }
  return lines.join('\n') + '\n';
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
