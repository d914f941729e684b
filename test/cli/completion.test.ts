// The completion engine behind `__complete` (kubectl's plugin-completion protocol) and the shell
// scripts, driven with the real command classes.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { commandsFromClasses, complete, completionScript, formatCompletion, kubectlCompleteHelper } from '../../src/cli/completion.js';
import Version from '../../src/commands/version.js';
import Context from '../../src/commands/context.js';
import Completion from '../../src/commands/completion.js';
import CaIssue from '../../src/commands/ca/issue.js';
import CaList from '../../src/commands/ca/list.js';

const commands = commandsFromClasses({ version: Version, context: Context, completion: Completion, 'ca:issue': CaIssue, 'ca:list': CaList });
const values = (args: string[]) => complete(commands, args).candidates.map((c) => c.value);

describe('complete', () => {
  it('offers the top-level commands and topics with their summaries, and no files', () => {
    const r = complete(commands, ['']);
    expect(r.candidates.map((c) => c.value).sort()).toEqual(['ca', 'completion', 'context', 'version']);
    expect(r.candidates.find((c) => c.value === 'context')?.description).toBe(Context.summary);
    expect(r.directive).toBe(4);
    expect(values(['co'])).toEqual(['completion', 'context']);
  });

  it('walks topics: `ca <TAB>` lists its subcommands', () => {
    expect(values(['ca', '']).sort()).toEqual(['issue', 'list']);
    expect(values(['ca', 'i'])).toEqual(['issue']);
  });

  it('completes flags, including the global ones, and skips flags already given', () => {
    expect(values(['version', '--o'])).toEqual(['--output']);
    expect(values(['version', '--'])).toContain('--kubeconfig');
    expect(values(['version', '--output', 'json', '--o'])).toEqual([]);
  });

  it('completes option values after the flag, after its short form, and after `=`', () => {
    expect(values(['version', '--output', ''])).toEqual(['text', 'json', 'yaml']);
    expect(values(['version', '-o', 'j'])).toEqual(['json']);
    expect(values(['version', '--output=y'])).toEqual(['--output=yaml']);
  });

  it('leaves free-text values and file flags to the shell (directive 0)', () => {
    expect(complete(commands, ['version', '--kubeconfig', ''])).toEqual({ candidates: [], directive: 0 });
  });

  it('completes positional arguments that have a fixed set of values', () => {
    expect(values(['completion', ''])).toEqual(['bash', 'zsh', 'fish', 'kubectl-helper']);
    expect(values(['completion', 'f'])).toEqual(['fish']);
  });

  it('formats cobra lines: value<TAB>description, then :directive', () => {
    expect(formatCompletion({ candidates: [{ value: 'a', description: 'x\ny' }, { value: 'b' }], directive: 4 })).toBe('a\tx y\nb\n:4\n');
  });
});

describe('scripts', () => {
  it('bash script is valid bash and registers the plugin binary', () => {
    const s = completionScript('bash');
    expect(spawnSync('bash', ['-n'], { input: s }).status).toBe(0);
    expect(s).toContain('complete -o filenames -F _kubectl_vibectl_tls kubectl-vibectl_tls');
  });

  it('bash script completes through __complete', () => {
    // A stand-in plugin on PATH that answers the protocol: proves the script's plumbing.
    const script = `${completionScript('bash')}
kubectl-vibectl_tls() { printf 'context\\tShow facts\\ncompletion\\n:4\\n'; }
COMP_LINE='kubectl-vibectl_tls co'; COMP_POINT=\${#COMP_LINE}
_kubectl_vibectl_tls; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
    expect(r.stdout.trim().split('\n')).toEqual(['context', 'completion']);
  });

  it('zsh and fish scripts name the binary and call __complete', () => {
    for (const shell of ['zsh', 'fish'] as const) {
      const s = completionScript(shell);
      expect(s).toContain('kubectl-vibectl_tls" __complete');
    }
    expect(completionScript('zsh').startsWith('#compdef kubectl-vibectl_tls')).toBe(true);
  });

  it('the kubectl helper hands every word to __complete', () => {
    expect(kubectlCompleteHelper()).toContain('exec kubectl-vibectl_tls __complete "$@"');
  });
});
