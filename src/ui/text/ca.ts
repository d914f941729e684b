// Text renderers for the `ca` commands. JSON/YAML output is the service result itself.
import type { CertSummary, InitResult, InspectResult, IssueResult, ListResult, StatusResult, RevokeResult } from '../../services/ca.js';
import type { CertState } from '../../core/pki/status.js';
import type { Palette } from '../colors.js';

const stateColor = (s: CertState, p: Palette) => (s === 'Valid' ? p.ok(s) : s === 'Expiring soon' ? p.warn(s) : p.err(s));

function table(rows: string[][], p: Palette): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => strip(r[i] ?? '').length)));
  return rows
    .map((r, ri) => r.map((c, i) => (ri === 0 ? p.bold(c) : c) + ' '.repeat(Math.max(0, widths[i]! - strip(c).length))).join('  ').trimEnd())
    .join('\n');
}
// eslint-disable-next-line no-control-regex
const strip = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

export function initText(r: InitResult, p: Palette): string {
  const lines = [
    `${p.ok('✔')} CA created in ${r.location}`,
    `  root          ${r.root.subject}  (${r.root.keyAlgorithm}, until ${r.root.notAfter.slice(0, 10)})`,
    `  intermediate  ${r.intermediate.subject}  (${r.intermediate.keyAlgorithm}, until ${r.intermediate.notAfter.slice(0, 10)})`,
  ];
  if (r.backup) lines.push(`  previous CA backed up to ${r.backup}`);
  lines.push(p.dim('next: kubectl vibectl-tls ca issue NAME --san …'));
  return lines.join('\n');
}

export function issueText(r: IssueResult, p: Palette): string {
  const lines: string[] = [];
  for (const c of r.issued) {
    lines.push(`${p.ok('✔')} ${c.role} certificate ${p.bold(c.name)} (serial ${c.serial}, until ${c.notAfter.slice(0, 10)})`);
    if (c.sans.length) lines.push(`  SANs   ${c.sans.join(', ')}`);
    if (c.files) lines.push(`  chain  ${c.files.cert}`, `  key    ${c.files.key}`, `  trust  ${c.files.ca}`);
    if (c.secret) lines.push(`  Secret ${c.secret.namespace}/${c.secret.name}`);
  }
  return lines.join('\n');
}

export function listText(r: ListResult, p: Palette): string {
  const rows = [['ROLE', 'NAME', 'SERIAL', 'EXPIRES', 'DAYS', 'KEY', 'STATE']];
  for (const c of r.certificates) rows.push([c.role, c.name, c.serial.slice(0, 16), c.notAfter.slice(0, 10), String(c.daysLeft), c.keyAlgorithm, stateColor(c.state, p)]);
  const head = `CA in ${r.location}` + (r.rotation ? p.warn(`  (rotation of the ${r.rotation.kind} in progress: ${r.rotation.step})`) : '');
  return `${head}\n${table(rows, p)}`;
}

export function statusText(r: StatusResult, p: Palette): string {
  const summary = (Object.entries(r.counts) as Array<[CertState, number]>)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${stateColor(s, p)}`)
    .join(', ');
  const verdict = r.ok ? p.ok('✔ all certificates valid for more than ' + r.days + ' days') : p.err('✖ some certificates need attention');
  const fix = r.ok ? '' : '\n' + p.dim('next: re-issue with `kubectl vibectl-tls ca issue NAME`, or rotate the CA with `kubectl vibectl-tls ca rotate`');
  return `${listText(r, p)}\n\n${verdict} (${summary})${fix}`;
}

export function inspectText(r: InspectResult, p: Palette): string {
  return r.certificates
    .map((c) => {
      const lines = [
        `${p.bold(c.name)} (${c.role})  ${stateColor(c.state, p)}`,
        `  subject      ${c.subject}`,
        `  issuer       ${c.issuer}`,
        `  serial       ${c.serial}`,
        `  valid        ${c.notBefore} → ${c.notAfter} (${c.daysLeft} days left)`,
        `  key          ${c.keyAlgorithm}`,
        `  sha256       ${c.fingerprintSha256}`,
      ];
      if (c.issuedByThisCa !== undefined) lines.push(`  this CA      ${c.issuedByThisCa ? p.ok('issued it') : p.warn('did not issue it')}`);
      for (const e of c.extensions) lines.push(`  ${e.name}${e.critical ? p.dim(' (critical)') : ''}: ${e.value.replace(/\s*\n\s*/g, '; ')}`);
      return lines.join('\n');
    })
    .join('\n\n');
}

export function revokeText(r: RevokeResult, p: Palette): string {
  return r.revoked.map((c: CertSummary) => `${p.ok('✔')} revoked ${c.name} (serial ${c.serial}); CRL updated`).join('\n');
}
