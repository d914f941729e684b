// docs/reference.md, generated from the CLI's own oclif manifest: every command, its flags and
// examples. `npm run docs:gen` writes it; test/docs/docs.test.ts fails when it is stale.

interface ManifestFlag {
  name: string;
  char?: string;
  description?: string;
  type: 'boolean' | 'option';
  options?: string[];
  multiple?: boolean;
  default?: unknown;
  helpGroup?: string;
  allowNo?: boolean;
  hidden?: boolean;
}

interface ManifestCommand {
  id: string;
  summary?: string;
  description?: string;
  examples?: Array<string | { command: string; description?: string }>;
  flags: Record<string, ManifestFlag>;
  args?: Record<string, { name: string; description?: string; required?: boolean }>;
  hidden?: boolean;
}

export interface Manifest {
  version: string;
  commands: Record<string, ManifestCommand>;
}

const GLOBAL = new Set(['kubeconfig', 'context', 'namespace', 'output', 'no-color', 'yes', 'non-interactive', 'request-timeout', 'verbose']);

export const commandTitle = (id: string) => `kubectl vibectl-tls ${id.replace(/:/g, ' ')}`;
export const commandAnchor = (id: string) => id.replace(/:/g, '-');

function flagLine(f: ManifestFlag): string {
  const name = `${f.char ? `-${f.char}, ` : ''}--${f.allowNo ? `[no-]${f.name}` : f.name}`;
  const value = f.type === 'option' ? (f.options ? ` ${f.options.join('\\|')}` : ' VALUE') : '';
  const extra = [f.multiple ? 'repeatable' : '', f.default !== undefined && f.default !== false ? `default \`${String(f.default)}\`` : ''].filter(Boolean).join(', ');
  return `| \`${name}${value}\` | ${(f.description ?? '').replace(/\|/g, '\\|')}${extra ? ` (${extra})` : ''} |`;
}

export function referenceMarkdown(manifest: Manifest): string {
  const ids = Object.keys(manifest.commands)
    .filter((id) => !manifest.commands[id]!.hidden)
    .sort();
  const out: string[] = [
    '# Command reference',
    '',
    '<!-- Generated from the CLI (oclif.manifest.json) by `npm run docs:gen`. Do not edit by hand. -->',
    '',
    'Every command also takes the global flags of `docs/cli-conventions.md`: `--kubeconfig`, `--context`,',
    '`-n/--namespace`, `-o/--output text|json|yaml`, `--no-color`, `-y/--yes`, `--non-interactive`,',
    '`--request-timeout`, `-v/--verbose`. Exit codes: `docs/exit-codes.md`.',
    '',
    ...ids.map((id) => `- [\`${commandTitle(id)}\`](#${commandAnchor(id)})`),
    '',
  ];
  for (const id of ids) {
    const c = manifest.commands[id]!;
    out.push(`<a id="${commandAnchor(id)}"></a>`, `## ${commandTitle(id)}`, '');
    if (c.summary) out.push(c.summary, '');
    if (c.description && c.description !== c.summary) out.push(c.description, '');
    const args = Object.values(c.args ?? {});
    if (args.length) {
      out.push('Arguments:', '');
      for (const a of args) out.push(`- \`${a.name.toUpperCase()}\`${a.required ? ' (required)' : ''}: ${a.description ?? ''}`);
      out.push('');
    }
    const flags = Object.values(c.flags).filter((f) => !GLOBAL.has(f.name) && !f.hidden);
    if (flags.length) {
      out.push('| flag | meaning |', '|---|---|', ...flags.map(flagLine), '');
    }
    const examples = (c.examples ?? []).map((e) => (typeof e === 'string' ? e : e.command)).map((e) => e.replace(/<%= config.bin %>/g, 'kubectl vibectl-tls'));
    if (examples.length) out.push('```sh', ...examples, '```', '');
  }
  return out.join('\n');
}
