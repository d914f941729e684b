// A plan result as people read it: one line per object with its action, then the fields that
// change, like `kubectl diff` but only for the fields this tool sets.
import type { FieldChange, PlanResult } from '../../core/kube/apply-plan.js';
import type { Palette } from '../colors.js';

const SYMBOL = { create: '+', update: '~', unchanged: '=' } as const;

function show(v: unknown): string {
  if (typeof v === 'string') {
    const oneLine = v.includes('\n') ? `${v.split('\n')[0]}… (${v.split('\n').length} lines)` : v;
    return JSON.stringify(oneLine.length > 80 ? oneLine.slice(0, 77) + '…' : oneLine);
  }
  return JSON.stringify(v);
}

function changeLine(c: FieldChange, p: Palette): string {
  if (c.op === 'add') return p.ok(`+ ${c.path}: ${show(c.after)}`);
  if (c.op === 'remove') return p.err(`- ${c.path}: ${show(c.before)}`);
  return p.warn(`~ ${c.path}: ${show(c.before)} → ${show(c.after)}`);
}

export function planText(r: PlanResult, p: Palette, options: { detail?: boolean } = {}): string {
  const lines: string[] = [];
  const would = r.dryRun ? ' (dry run: nothing written)' : '';
  for (const c of r.changes) {
    const verb = c.action === 'create' ? (r.compared ? (r.dryRun ? 'would be created' : 'created') : 'new') : c.action === 'update' ? (r.dryRun ? 'would be updated' : 'updated') : 'unchanged';
    const color = c.action === 'create' ? p.ok : c.action === 'update' ? p.warn : p.dim;
    lines.push(`${color(SYMBOL[c.action])} ${c.ref} ${p.dim(verb)}`);
    const showFields = c.action === 'update' || (options.detail && c.action === 'create');
    if (showFields) for (const f of c.changes) lines.push(`    ${changeLine(f, p)}`);
  }
  lines.push('', `${p.bold(r.summary)}${would}`);
  return lines.join('\n');
}
