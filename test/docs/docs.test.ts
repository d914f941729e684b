// The documentation stays true to the CLI: the reference is generated from the CLI itself, every
// command has an entry, and every example command line in docs/ and the README uses commands and
// flags that exist, with allowed values; YAML and JSON examples parse.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { commandAnchor, referenceMarkdown, type Manifest } from '../../scripts/docs/reference.js';

const root = join(import.meta.dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8')) as Manifest;
const docFiles = [
  join(root, 'README.md'),
  ...readdirSync(join(root, 'docs'), { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.md'))
    .map((d) => join(d.parentPath, d.name)),
];

interface Fence {
  file: string;
  lang: string;
  body: string;
  line: number;
}

function fences(file: string): Fence[] {
  const text = readFileSync(file, 'utf8');
  const out: Fence[] = [];
  const re = /^```(\w*)[^\n]*\n([\s\S]*?)^```/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ file: file.slice(root.length + 1), lang: m[1]!.toLowerCase(), body: m[2]!, line: text.slice(0, m.index).split('\n').length });
  }
  return out;
}

/** Shell-like split: quotes, and a line continuation; stops at a comment, pipe or redirect. */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|"([^"]*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    const w = m[1] ?? m[2] ?? m[3]!;
    if (m[3] && (/^#/.test(w) || ['|', '>', '2>', '&&', ';', '||', '>>'].includes(w))) break;
    out.push(w);
  }
  return out;
}

function commandLines(f: Fence): Array<{ argv: string[]; where: string }> {
  const joined = f.body.replace(/\\\n\s*/g, ' ');
  return joined
    .split('\n')
    .map((l, i) => ({ l: l.trim().replace(/^\$\s+/, ''), i }))
    .filter(({ l }) => l.startsWith('kubectl vibectl-tls ') || l.startsWith('kubectl-vibectl_tls '))
    .map(({ l, i }) => ({ argv: words(l.replace(/^kubectl vibectl-tls |^kubectl-vibectl_tls /, '')), where: `${f.file}:${f.line + i + 1}` }));
}

describe('docs', () => {
  it('docs/reference.md is generated from the CLI (run `npm run build && npm run docs:gen` after changing commands)', () => {
    expect(readFileSync(join(root, 'docs', 'reference.md'), 'utf8')).toBe(referenceMarkdown(manifest));
  });

  it('every command has a reference entry', () => {
    const ref = readFileSync(join(root, 'docs', 'reference.md'), 'utf8');
    for (const id of Object.keys(manifest.commands)) expect(ref, id).toContain(`<a id="${commandAnchor(id)}"></a>`);
  });

  it('every documented command line uses real commands, flags and values', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const file of docFiles) {
      for (const f of fences(file).filter((x) => ['sh', 'bash', 'console', 'shell', ''].includes(x.lang))) {
        for (const { argv, where } of commandLines(f)) {
          if (argv[0] === '--help' || argv[0] === '--version' || argv.length === 0) continue;
          // The longest prefix of words that names a command.
          let id = '';
          let used = 0;
          for (let n = Math.min(3, argv.length); n > 0; n--) {
            const candidate = argv.slice(0, n).join(':');
            if (manifest.commands[candidate]) {
              id = candidate;
              used = n;
              break;
            }
          }
          if (!id) {
            problems.push(`${where}: no command "${argv.slice(0, 2).join(' ')}"`);
            continue;
          }
          checked++;
          const flags = manifest.commands[id]!.flags;
          const byChar = new Map(Object.values(flags).filter((x) => x.char).map((x) => [x.char!, x]));
          const rest = argv.slice(used);
          for (let i = 0; i < rest.length; i++) {
            const w = rest[i]!;
            if (!w.startsWith('-') || w === '-') continue;
            const [rawName, inline] = w.split('=', 2) as [string, string | undefined];
            const flag = rawName.startsWith('--') ? (flags[rawName.slice(2)] ?? (rawName.startsWith('--no-') ? flags[rawName.slice(5)] : undefined)) : byChar.get(rawName.slice(1, 2));
            if (!flag) {
              problems.push(`${where}: ${id.replace(/:/g, ' ')} has no flag ${rawName}`);
              continue;
            }
            if (flag.type === 'option') {
              const value = inline ?? rest[++i];
              if (value === undefined) problems.push(`${where}: ${rawName} needs a value`);
              else if (flag.options && !/[A-Z<…]/.test(value) && !flag.options.includes(value)) problems.push(`${where}: ${rawName} ${value} is not one of ${flag.options.join('|')}`);
            }
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(10);
  });

  it('YAML and JSON examples parse', () => {
    const problems: string[] = [];
    for (const file of docFiles) {
      for (const f of fences(file)) {
        if (f.lang === 'yaml' || f.lang === 'yml') {
          for (const d of parseAllDocuments(f.body)) if (d.errors.length) problems.push(`${f.file}:${f.line}: ${d.errors[0]!.message.split('\n')[0]}`);
        } else if (f.lang === 'json') {
          try {
            JSON.parse(f.body);
          } catch (err) {
            problems.push(`${f.file}:${f.line}: ${(err as Error).message}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
