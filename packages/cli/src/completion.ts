/**
 * Shell completion: the script `funes completion` prints, and what a Tab offers. The
 * shell runs `funes --get-yargs-completions <words>`; yargs proposes commands, options
 * and choices, and {@link completionsFor} keeps only what is valid where the cursor is,
 * adding the cache's function names where a function is expected.
 */

/** The shells `funes completion` writes a script for. */
export const SHELLS = ['bash', 'zsh'] as const;
export type Shell = (typeof SHELLS)[number];

/** What the parser knows of the command being completed. */
export interface CompletionContext {
  /** The words typed after the program name, the one being completed last. */
  readonly words: readonly string[];
  /** What yargs proposes: command names, options (`--json`, `-q`) and an option's or positional's choices. */
  readonly proposed: readonly string[];
  /** Options (and their aliases) that take a value, so the next word is that value. */
  readonly valueOptions: ReadonlySet<string>;
  /** The declared command lines, e.g. `show <fn> [argument]`. */
  readonly commands: readonly string[];
  /** The cache's function names (read only when a function is expected). */
  readonly functionNames: () => readonly string[];
}

const optionName = (word: string) => word.replace(/^--?/, '').replace(/=.*$/, '');

/** The command named, and the positional words typed before the one being completed. */
function positionalsBefore(words: readonly string[], valueOptions: ReadonlySet<string>): string[] {
  const positionals: string[] = [];
  for (let i = 0; i < words.length - 1; i++) {
    const word = words[i];
    if (!word.startsWith('-')) positionals.push(word);
    else if (!word.includes('=') && valueOptions.has(optionName(word))) i++;
  }
  return positionals;
}

/** Whether the positional at `index` (0: the first after the command) of a declared command line names a function. */
function expectsFunction(declared: string, index: number): boolean {
  const params = declared.split(' ').slice(1);
  const last = params.at(-1);
  const param = params[index] ?? (last?.endsWith('..]') || last?.endsWith('..>') ? last : undefined);
  return param !== undefined && /^[<[]fn\b/.test(param);
}

/** The completions to offer for the last word. Pure but for reading function names. */
export function completionsFor(context: CompletionContext): string[] {
  const { words, proposed, valueOptions } = context;
  const current = words.at(-1) ?? '';
  const previous = words.at(-2);
  // A value for an option: its choices, or nothing (the shell then completes file names).
  if (previous?.startsWith('-') && !previous.includes('=') && valueOptions.has(optionName(previous))) {
    return proposed.filter((word) => !word.startsWith('-') && word.startsWith(current));
  }
  if (current.startsWith('-')) {
    // yargs writes one-letter aliases as `--q` after `--`; only `-q` is an option.
    return proposed.filter((word) => word.startsWith(current) && !/^--.$/.test(word) && !/^--.:/.test(word));
  }
  const [command, ...positionals] = positionalsBefore(words, valueOptions);
  const values = proposed.filter((word) => !word.startsWith('-') && word.startsWith(current));
  if (command === undefined) return values;
  const declared = context.commands.find((c) => c.split(' ')[0] === command);
  if (declared !== undefined && expectsFunction(declared, positionals.length)) {
    return [...new Set(context.functionNames())].filter((name) => name.startsWith(current)).sort();
  }
  // A positional's choices (`remote add`), never command names after a command.
  return values.filter((word) => !context.commands.some((c) => c.split(' ')[0] === word));
}

/**
 * The shell function, for bash or zsh. It runs the `funes` that `npx funes` would run
 * from the current directory (the nearest `node_modules/.bin/funes`), else one on the
 * PATH, and completes both `funes …` and `npx funes …`.
 */
export function completionScript(shell: Shell): string {
  const finder = `_funes_program() {
  local dir="$PWD"
  while :; do
    if [ -x "$dir/node_modules/.bin/funes" ]; then printf '%s\\n' "$dir/node_modules/.bin/funes"; return 0; fi
    [ -z "$dir" ] || [ "$dir" = / ] && break
    dir="\${dir%/*}"
  done
  command -v funes
}`;
  if (shell === 'zsh') {
    return `###-begin-funes-completions-###
# funes completion for zsh: add it to ~/.zshrc (funes completion zsh >> ~/.zshrc).
# Completes \`funes …\` and \`npx funes …\` with the funes installed in the project.
${finder}
_funes_completions() {
  local -a args reply
  local program
  args=("\${(@)words[1,CURRENT]}")
  if [[ "\${args[1]}" == npx ]]; then
    if (( CURRENT < 3 )) || [[ "\${args[2]}" != funes ]]; then _default; return; fi
    args=("\${args[@]:1}")
  fi
  program="$(_funes_program)" || { _default; return; }
  reply=("\${(@f)$("$program" --get-yargs-completions "\${args[@]}" 2>/dev/null)}")
  reply=("\${(@)reply:#}")
  if (( \${#reply} > 0 )); then compadd -- "\${reply[@]}"; else _default; fi
}
compdef _funes_completions funes
(( \${+_comps[npx]} )) || compdef _funes_completions npx
###-end-funes-completions-###
`;
  }
  return `###-begin-funes-completions-###
# funes completion for bash: add it to ~/.bashrc (funes completion >> ~/.bashrc).
# Completes \`funes …\` and \`npx funes …\` with the funes installed in the project.
${finder}
_funes_completions() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" program
  local -a args=("\${COMP_WORDS[@]:0:COMP_CWORD+1}")
  COMPREPLY=()
  if [ "\${args[0]}" = npx ]; then
    [ "$COMP_CWORD" -ge 2 ] && [ "\${args[1]}" = funes ] || return 0
    args=("\${args[@]:1}")
  fi
  program="$(_funes_program)" || return 0
  # Never through compgen -W, which expands each word: a name from the cache runs nothing, and goes in quoted.
  local word quoted
  while IFS= read -r word; do
    [[ -n "$word" && "$word" == "$cur"* ]] || continue
    printf -v quoted '%q' "$word"
    COMPREPLY+=("$quoted")
  done < <("$program" --get-yargs-completions "\${args[@]}" 2>/dev/null)
}
complete -o bashdefault -o default -F _funes_completions funes
complete -p npx >/dev/null 2>&1 || complete -o bashdefault -o default -F _funes_completions npx
###-end-funes-completions-###
`;
}
