// Text output for doctor in the manner of `linkerd check`: one heading per subject and category,
// ✔ / ‼ / ✖ lines, the finding and its hint indented beneath, and a summary line.
import type { CheckResult } from '../../core/checks/framework.js';
import type { DoctorReport, InventoryReport } from '../../services/doctor.js';
import type { Palette } from '../colors.js';
import { certificateStatusText } from './cert-manager-status.js';

const ICON: Record<CheckResult['status'], string> = { ok: '✔', info: 'ℹ', warning: '‼', error: '✖', skipped: '-' };

function mark(r: CheckResult, p: Palette): string {
  const i = ICON[r.status];
  if (r.status === 'ok') return p.ok(i);
  if (r.status === 'warning') return p.warn(i);
  if (r.status === 'error') return p.err(i);
  return p.dim(i);
}

export function doctorText(report: DoctorReport, p: Palette, now: Date = new Date()): string {
  const out: string[] = [];
  // --certificate: the Certificate's story first (cmctl status certificate), then the checks.
  for (const w of report.certificates ?? []) out.push(certificateStatusText(w, p, now), '');
  let heading = '';
  for (const r of report.results) {
    const h = `${r.subject} · ${r.category}`;
    if (h !== heading) {
      if (heading) out.push('');
      out.push(p.bold(h), p.dim('-'.repeat(Math.min(h.length, 78))));
      heading = h;
    }
    const code = p.dim(`[${r.code}]`);
    if (r.status === 'ok' || r.status === 'info') {
      out.push(`${mark(r, p)} ${r.title} ${code}${r.message ? p.dim(` — ${r.message}`) : ''}`);
      for (const d of r.details) out.push(`    ${p.dim(d)}`);
      continue;
    }
    if (r.status === 'skipped') {
      out.push(p.dim(`${ICON.skipped} ${r.title} [${r.code}] (${r.message})`));
      continue;
    }
    out.push(`${mark(r, p)} ${r.title} ${code}`);
    out.push(`    ${r.message}`);
    for (const d of r.details) out.push(`    ${p.dim(d)}`);
    if (r.hint) out.push(`    ${p.dim('fix:')} ${r.hint}`);
    out.push(`    ${p.dim(`see ${r.docsUrl} for hints`)}`);
  }
  if (report.notes.length) {
    out.push('', p.bold('notes'));
    for (const n of report.notes) out.push(`  ${n}`);
  }
  for (const e of report.endpoints) {
    if (!e.grade) continue;
    out.push('', `${p.bold(`grade ${e.grade.grade}`)} for ${e.endpoint}${e.grade.caps.length ? p.dim(` (${e.grade.caps.map((c) => c.reason).join('; ')})`) : ''}`);
  }
  const s = report.summary;
  const parts = [`${s.error} error${s.error === 1 ? '' : 's'}`, `${s.warning} warning${s.warning === 1 ? '' : 's'}`, `${s.ok} ok`];
  if (s.info) parts.push(`${s.info} info`);
  if (s.skipped) parts.push(`${s.skipped} skipped`);
  const status = report.success ? p.ok('✔') : p.err('✖');
  out.push('', `Status check results are ${status}  ${parts.join(', ')}${report.failOn === 'warning' ? ' (failing on warnings)' : ''}`);
  if (report.forbidden?.length) out.push(p.warn(`RBAC kept doctor from checking everything: cannot ${report.forbidden.join('; cannot ')} (kubectl vibectl-tls doctor --print-rbac)`));
  if (report.timedOut) out.push(p.warn(`still failing after ${report.attempts} attempts (--wait ran out)`));
  return out.join('\n');
}

export function inventoryText(report: InventoryReport, p: Palette): string {
  if (report.secrets.length === 0) return p.dim(`no kubernetes.io/tls Secrets in ${report.scope}`);
  const rows = report.secrets.map((r) => [
    r.error ? 'error' : r.daysLeft! < 0 ? `expired ${-r.daysLeft!}d ago` : `${r.daysLeft}d`,
    `${r.namespace}/${r.name}`,
    r.issuer ?? '-',
    r.error ?? (r.sans.slice(0, 3).join(',') + (r.sans.length > 3 ? `,+${r.sans.length - 3}` : '') || '-'),
  ]);
  const head = ['EXPIRES', 'SECRET', 'ISSUER', 'NAMES'];
  const widths = head.map((h, i) => Math.min(48, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  const lines = [p.bold(fmt(head))];
  for (const [i, r] of rows.entries()) {
    const src = report.secrets[i]!;
    const line = fmt(r);
    lines.push(src.error || (src.daysLeft ?? 0) < 0 ? p.err(line) : (src.daysLeft ?? 99) < 30 ? p.warn(line) : line);
  }
  lines.push(p.dim(`${report.count} TLS Secret(s) in ${report.scope}, soonest expiry first`));
  return lines.join('\n');
}
