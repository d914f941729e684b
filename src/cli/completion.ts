// Shell completion. One engine answers cobra's `__complete` protocol, the one kubectl (≥ 1.26)
// speaks to a plugin's `kubectl_complete-<name>` helper: candidate lines (`word<TAB>description`)
// then `:<directive>`. The bash, zsh and fish scripts call the same engine for `kubectl-vibectl_tls`.
import type { Command, Config } from '@oclif/core';

/** cobra ShellCompDirective bits. */
export const Directive = { default: 0, error: 1, noSpace: 2, noFileComp: 4 } as const;

interface FlagInfo {
  name: string;
  char?: string | undefined;
  type: 'boolean' | 'option';
  options?: readonly string[] | undefined;
  description?: string | undefined;
  hidden?: boolean | undefined;
  multiple?: boolean | undefined;
}

export interface CompletionCommand {
  id: string;
  summary?: string | undefined;
  hidden?: boolean | undefined;
  flags: FlagInfo[];
  /** Allowed values of each positional argument, in order (undefined: free text or a file). */
  args: (readonly string[] | undefined)[];
}

export interface CompletionResult {
  candidates: { value: string; description?: string | undefined }[];
  directive: number;
}

type FlagLike = { name?: string; char?: string; type?: string; options?: readonly string[]; description?: string; summary?: string; hidden?: boolean; multiple?: boolean };
type ArgLike = { options?: readonly string[] };

function toFlags(flags: Record<string, FlagLike | undefined>): FlagInfo[] {
  return Object.entries(flags).flatMap(([key, f]) =>
    f ? [{ name: f.name ?? key, char: f.char, type: f.type === 'boolean' ? 'boolean' : 'option', options: f.options, description: f.summary ?? f.description, hidden: f.hidden, multiple: f.multiple } as FlagInfo] : [],
  );
}

function toArgs(args: Record<string, ArgLike | undefined> | undefined): (readonly string[] | undefined)[] {
  return Object.values(args ?? {}).map((a) => a?.options);
}

/** From the command classes the self-contained binary carries. */
export function commandsFromClasses(classes: Record<string, Command.Class>): CompletionCommand[] {
  return Object.entries(classes).map(([id, c]) => ({
    id,
    summary: c.summary ?? c.description?.split('\n')[0],
    hidden: c.hidden,
    flags: toFlags({ ...(c.baseFlags ?? {}), ...(c.flags ?? {}) } as Record<string, FlagLike>),
    args: toArgs(c.args as Record<string, ArgLike>),
  }));
}

/** From a loaded oclif Config (the npm install, which reads oclif.manifest.json). */
export function commandsFromConfig(config: Config): CompletionCommand[] {
  return config.commands.map((c) => ({
    id: c.id,
    summary: c.summary ?? c.description?.split('\n')[0],
    hidden: c.hidden,
    flags: toFlags(c.flags as Record<string, FlagLike>),
    args: toArgs(c.args as Record<string, ArgLike>),
  }));
}

/**
 * Completes the last word of `args` (the words after the plugin name; the last may be ""),
 * the way `kubectl vibectl-tls <args>` would be completed.
 */
export function complete(commands: CompletionCommand[], args: string[]): CompletionResult {
  const visible = commands.filter((c) => !c.hidden && !c.id.startsWith('__'));
  const words = args.length === 0 ? [''] : args;
  const toComplete = words[words.length - 1] ?? '';
  const before = words.slice(0, -1);

  // Walk the topic words (`ca issue` → ca:issue) until a command is found or a flag starts.
  let path: string[] = [];
  let command: CompletionCommand | undefined;
  let i = 0;
  for (; i < before.length; i++) {
    const w = before[i] ?? '';
    if (w.startsWith('-')) break;
    const next = [...path, w];
    const id = next.join(':');
    const isTopic = visible.some((c) => c.id.startsWith(id + ':'));
    const found = visible.find((c) => c.id === id);
    if (!found && !isTopic) break;
    path = next;
    command = found;
    if (found && !isTopic) {
      i++;
      break;
    }
  }
  const rest = before.slice(i);

  const subcommands = (): CompletionResult['candidates'] => {
    const prefix = path.length ? path.join(':') + ':' : '';
    const seen = new Map<string, string | undefined>();
    for (const c of visible) {
      if (!c.id.startsWith(prefix) || c.id === prefix.slice(0, -1)) continue;
      const word = c.id.slice(prefix.length).split(':')[0] ?? '';
      if (!word.startsWith(toComplete)) continue;
      const isLeaf = c.id === prefix + word;
      if (!seen.has(word) || isLeaf) seen.set(word, isLeaf ? c.summary : seen.get(word));
    }
    return [...seen].sort(([a], [b]) => a.localeCompare(b)).map(([value, description]) => ({ value, description }));
  };

  if (!command) {
    if (rest.length > 0 || toComplete.startsWith('-')) return { candidates: [], directive: Directive.noFileComp };
    return { candidates: subcommands(), directive: Directive.noFileComp };
  }

  const flagByToken = (token: string): FlagInfo | undefined => {
    if (token.startsWith('--')) return command.flags.find((f) => f.name === token.slice(2).split('=')[0]);
    if (token.length === 2 && token.startsWith('-')) return command.flags.find((f) => f.char === token[1]);
    return undefined;
  };

  // The value of an option flag given as the previous word: `--output <TAB>`.
  const prev = rest[rest.length - 1];
  if (prev !== undefined && !prev.includes('=')) {
    const flag = flagByToken(prev);
    if (flag && flag.type === 'option') {
      if (flag.options) return { candidates: flag.options.filter((o) => o.startsWith(toComplete)).map((value) => ({ value })), directive: Directive.noFileComp };
      return { candidates: [], directive: Directive.default };
    }
  }

  if (toComplete.startsWith('-')) {
    const eq = toComplete.indexOf('=');
    if (eq > 0) {
      const flag = flagByToken(toComplete.slice(0, eq));
      const typed = toComplete.slice(eq + 1);
      if (flag?.options) {
        return { candidates: flag.options.filter((o) => o.startsWith(typed)).map((o) => ({ value: `${toComplete.slice(0, eq)}=${o}` })), directive: Directive.noFileComp };
      }
      return { candidates: [], directive: Directive.default };
    }
    const used = new Set(rest.map((t) => flagByToken(t)?.name).filter(Boolean));
    const candidates = command.flags
      .filter((f) => !f.hidden && (f.multiple || !used.has(f.name)))
      .map((f) => ({ value: `--${f.name}`, description: f.description }))
      .filter((c) => c.value.startsWith(toComplete));
    return { candidates, directive: Directive.noFileComp };
  }

  // A topic that is also a command (`ca` with `ca issue`): offer its subcommands first.
  if (rest.length === 0 && visible.some((c) => c.id.startsWith(command.id + ':'))) {
    return { candidates: subcommands(), directive: Directive.noFileComp };
  }

  // Positional argument: count the positionals given so far (skipping flag values).
  let position = 0;
  for (let j = 0; j < rest.length; j++) {
    const t = rest[j] ?? '';
    if (t.startsWith('-')) {
      const f = flagByToken(t);
      if (f && f.type === 'option' && !t.includes('=')) j++;
    } else position++;
  }
  const allowed = command.args[position];
  if (allowed) return { candidates: allowed.filter((o) => o.startsWith(toComplete)).map((value) => ({ value })), directive: Directive.noFileComp };
  return { candidates: [], directive: Directive.default };
}

/** The protocol text: one candidate per line (`value<TAB>description`), then `:<directive>`. */
export function formatCompletion(result: CompletionResult): string {
  const lines = result.candidates.map((c) => (c.description ? `${c.value}\t${c.description.replace(/\s+/g, ' ').trim()}` : c.value));
  return [...lines, `:${result.directive}`].join('\n') + '\n';
}

export function completeFromCommands(classes: Record<string, Command.Class>, args: string[]): string {
  return formatCompletion(complete(commandsFromClasses(classes), args));
}

export type Shell = 'bash' | 'zsh' | 'fish';
export const shells: readonly Shell[] = ['bash', 'zsh', 'fish'];

/**
 * The script a shell sources to complete `kubectl-vibectl_tls …`. (`kubectl vibectl-tls …` is
 * completed by kubectl itself through the kubectl_complete-vibectl_tls helper on PATH.)
 */
export function completionScript(shell: Shell, bin = 'kubectl-vibectl_tls'): string {
  const fn = '_' + bin.replace(/[^A-Za-z0-9_]/g, '_');
  switch (shell) {
    case 'bash':
      return `# bash completion for ${bin}. Load with: source <(${bin} completion bash)
${fn}() {
  local line="\${COMP_LINE:0:$COMP_POINT}" words=() out directive comps=() l
  read -ra words <<< "$line"
  [[ "$line" =~ [[:space:]]$ ]] && words+=("")
  out=$("${bin}" __complete "\${words[@]:1}" 2>/dev/null) || return
  directive="\${out##*:}"
  while IFS= read -r l; do
    [[ -z "$l" || "$l" == :* ]] && continue
    comps+=("\${l%%$'\\t'*}")
  done <<< "$out"
  COMPREPLY=("\${comps[@]}")
  if (( \${#comps[@]} == 0 && (directive & 4) == 0 )); then
    COMPREPLY=($(compgen -f -- "\${words[-1]}"))
  fi
  (( directive & 2 )) && compopt -o nospace 2>/dev/null
  return 0
}
complete -o filenames -F ${fn} ${bin}
`;
    case 'zsh':
      return `#compdef ${bin}
# zsh completion for ${bin}. Load with: source <(${bin} completion zsh)
${fn}() {
  local out directive l w d
  local -a lines comps
  out=$("${bin}" __complete "\${(@)words[2,CURRENT]}" 2>/dev/null) || return 1
  lines=("\${(@f)out}")
  directive="\${lines[-1]#:}"
  for l in "\${(@)lines[1,-2]}"; do
    [[ -z "$l" ]] && continue
    w="\${l%%$'\\t'*}"
    if [[ "$l" == *$'\\t'* ]]; then d="\${l#*$'\\t'}"; comps+=("\${w//:/\\\\:}:$d"); else comps+=("\${w//:/\\\\:}"); fi
  done
  if (( \${#comps} == 0 )); then
    (( directive & 4 )) || _files
    return
  fi
  _describe -t values 'completions' comps
}
compdef ${fn} ${bin}
`;
    case 'fish':
      return `# fish completion for ${bin}. Load with: ${bin} completion fish | source
function __${fn}_complete
    set -l args (commandline -opc)[2..-1] (commandline -ct)
    set -l out ("${bin}" __complete $args 2>/dev/null)
    or return
    set -l directive (string replace -r '^:' '' -- $out[-1])
    set -e out[-1]
    if test (count $out) -eq 0; and test (math "bitand($directive, 4)") -eq 0
        __fish_complete_path (commandline -ct)
        return
    end
    printf '%s\\n' $out
end
complete -c ${bin} -f -a '(__${fn}_complete)'
`;
  }
}

/** The kubectl plugin-completion helper (install as kubectl_complete-vibectl_tls on PATH). */
export function kubectlCompleteHelper(bin = 'kubectl-vibectl_tls'): string {
  return `#!/bin/sh
# kubectl (>= 1.26) runs this to complete \`kubectl ${bin.replace(/^kubectl-/, '').replace(/_/g, '-')} ...\`;
# the plugin answers in cobra's __complete format.
exec ${bin} __complete "$@"
`;
}
