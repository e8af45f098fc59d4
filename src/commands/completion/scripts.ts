/**
 * The shell side of completion: a small function per shell that hands the words before the cursor
 * to `<program> __complete SHELL -- ...` and turns its answer into the shell's candidates. The
 * answer's first line is a directive (`words`, `files` or `dirs`, plus `nospace`), then one
 * candidate per line in the shell's own form (bash: the word; zsh: `value:description`; fish:
 * `value<TAB>description`). All knowledge of commands, flags and services stays
 * in the program, so a new command is completed without regenerating the script.
 */

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

function functionName(program: string): string {
  return `__${program.replace(/[^A-Za-z0-9_]/g, '_')}_complete`;
}

/**
 * bash: the line up to the cursor is passed whole (COMP_WORDS splits at `=` and `:`); the answer is
 * relative to the part after the last word-break character, as readline replaces only that part.
 */
function bash(program: string): string {
  const name = functionName(program);
  return `# bash completion for ${program}: source <(${program} completion bash)
${name}() {
  local IFS=$'\\n' directive
  local -a reply
  reply=($(COMP_WORDBREAKS="$COMP_WORDBREAKS" command ${program} __complete bash -- "\${COMP_LINE:0:COMP_POINT}" 2>/dev/null)) || return 0
  directive=\${reply[0]}
  COMPREPLY=("\${reply[@]:1}")
  case $directive in
    files*) COMPREPLY=(); compopt -o default 2>/dev/null ;;
    dirs*) COMPREPLY=(); compopt -o dirnames 2>/dev/null ;;
  esac
  [[ $directive == *nospace* ]] && compopt -o nospace 2>/dev/null
  return 0
}
complete -F ${name} ${program}
`;
}

function zsh(program: string): string {
  const name = functionName(program);
  return `#compdef ${program}
# zsh completion for ${program}: source <(${program} completion zsh) (after compinit)
${name}() {
  local -a reply candidates suffix
  local directive
  reply=("\${(@f)$(command ${program} __complete zsh -- "\${(@)words[1,CURRENT]}" 2>/dev/null)}")
  directive=\${reply[1]}
  case $directive in
    files*) _files; return ;;
    dirs*) _files -/; return ;;
  esac
  candidates=("\${(@)reply[2,-1]}")
  candidates=("\${(@)candidates:#}")
  [[ $directive == *nospace* ]] && suffix=(-S '')
  _describe -t values '${program}' candidates "\${(@)suffix}"
}
compdef ${name} ${program}
`;
}

function fish(program: string): string {
  const name = functionName(program);
  return `# fish completion for ${program}: ${program} completion fish | source
function ${name}
    set -l current (commandline -ct)
    set -l reply (command ${program} __complete fish -- (commandline -opc) "$current" 2>/dev/null)
    switch "$reply[1]"
        case 'files*'
            __fish_complete_path "$current"
        case 'dirs*'
            __fish_complete_directories "$current"
        case '*'
            printf '%s\\n' $reply[2..-1]
    end
end
complete -c ${program} -f -a '(${name})'
`;
}

export function completionScript(shell: Shell, program: string): string {
  switch (shell) {
    case 'bash':
      return bash(program);
    case 'zsh':
      return zsh(program);
    case 'fish':
      return fish(program);
  }
}
