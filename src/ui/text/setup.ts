import type { SetupPlan } from '../../services/setup.js';
import type { SetupResult } from '../../services/setup-run.js';
import type { Palette } from '../colors.js';

const MARK = { create: '+', update: '~', unchanged: '=' } as const;

/** The plan screen: every object with what would happen to it, local effects, notes. */
export function setupPlanText(plan: SetupPlan, p: Palette): string {
  const lines: string[] = [p.bold(`Plan for namespace ${plan.namespace}${plan.compared ? '' : ' (not compared with a cluster)'}`)];
  for (const step of plan.steps) {
    lines.push('', `${p.bold('•')} ${step.title}`);
    for (const c of step.changes) {
      const color = c.action === 'create' ? p.ok : c.action === 'update' ? p.warn : p.dim;
      lines.push(`    ${color(`${MARK[c.action]} ${c.action.padEnd(9)}`)} ${c.ref}`);
      for (const f of c.changes.slice(0, 12)) {
        const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
        if (f.op === 'add') lines.push(p.ok(`        + ${f.path}: ${show(f.after)}`));
        else if (f.op === 'remove') lines.push(p.err(`        - ${f.path}: ${show(f.before)}`));
        else lines.push(p.warn(`        ~ ${f.path}: ${show(f.before)} → ${show(f.after)}`));
      }
      if (c.changes.length > 12) lines.push(p.dim(`        … ${c.changes.length - 12} more fields`));
    }
    for (const l of step.local) lines.push(`    ${p.ok('+ local   ')} ${l}`);
  }
  if (plan.notes.length) {
    lines.push('', p.bold('Notes'));
    for (const n of plan.notes) lines.push(`  - ${n}`);
  }
  lines.push('', plan.upToDate ? p.ok('Nothing to change: the cluster already matches this setup.') : '', p.dim('Reproduce without prompts:'), `  ${plan.command}`);
  return lines.filter((l, i, all) => !(l === '' && all[i - 1] === '')).join('\n');
}

/** After apply: what ran, doctor's verdict, and the command that reproduces the run. */
export function setupResultText(r: SetupResult, p: Palette): string {
  if (r.dryRun) return setupPlanText(r.plan, p);
  const lines: string[] = [];
  if (r.applied.length === 0) lines.push(p.ok('✔ Nothing to change: the cluster already matches this setup.'));
  for (const a of r.applied) {
    const mark = a.status === 'ok' ? p.ok('✔') : a.status === 'failed' ? p.err('✖') : p.dim('-');
    lines.push(`${mark} ${a.title}${a.detail ? p.dim(` · ${a.detail}`) : ''}${a.error ? `\n    ${p.err(a.error)}` : ''}`);
  }
  if (r.doctor) {
    const verdict = r.doctor.success ? p.ok('✔ doctor: no errors') : p.err(`✖ doctor: ${r.doctor.errors} error(s)`);
    lines.push('', `${verdict}${r.doctor.warnings ? p.warn(`, ${r.doctor.warnings} warning(s)`) : ''}`);
    for (const f of r.doctor.findings) lines.push(`    ${f.status === 'error' ? p.err('✖') : f.status === 'warning' ? p.warn('‼') : p.dim('i')} ${f.code} ${f.message}`);
  }
  lines.push('', p.dim('Run it again without prompts:'), `  ${r.command}`);
  return lines.join('\n');
}
