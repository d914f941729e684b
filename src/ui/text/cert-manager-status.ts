// `doctor --certificate NAME` in text mode opens with the Certificate's story, as
// `cmctl status certificate` tells it: each owned object with its conditions and recent events,
// failed lookups inline, and also the last finished request (which cmctl stops showing).
import type { CertificateWalk, Condition, EventSummary, RequestNode, WalkNode } from '../../core/cert-manager/walk.js';
import type { Palette } from '../colors.js';

function condLine(c: Condition, p: Palette): string {
  const status = c.status === 'True' ? p.ok(c.status) : c.status === 'False' ? p.err(c.status) : p.warn(c.status);
  return `${c.type}: ${status}${c.reason ? ` (${c.reason})` : ''}${c.message ? ` ${p.dim('—')} ${c.message}` : ''}`;
}

function ago(iso: string | undefined, now: Date): string {
  if (!iso) return '';
  const s = Math.max(0, Math.round((now.getTime() - new Date(iso).getTime()) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172_800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86_400)}d`;
}

function eventLines(events: EventSummary[], indent: string, p: Palette, now: Date): string[] {
  if (events.length === 0) return [`${indent}${p.dim('Events: none')}`];
  return [
    `${indent}Events:`,
    ...events.map((e) => `${indent}  ${e.type === 'Warning' ? p.warn(e.type) : p.dim(e.type)}  ${e.reason}  ${p.dim(`${ago(e.last, now)}${e.count > 1 ? ` (x${e.count})` : ''}`)}  ${e.message}`),
  ];
}

function nodeLines(n: WalkNode, head: string, indent: string, p: Palette, now: Date): string[] {
  const facts = Object.entries(n.facts)
    .filter(([k]) => k !== 'reason')
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const out = [`${indent}${p.bold(head)}${facts ? p.dim(`  ${facts}`) : ''}`];
  for (const c of n.conditions) out.push(`${indent}  ${condLine(c, p)}`);
  if (n.facts.reason) out.push(`${indent}  reason: ${n.facts.reason}`);
  out.push(...eventLines(n.events, `${indent}  `, p, now));
  return out;
}

function requestLines(r: RequestNode, label: string, p: Palette, now: Date): string[] {
  const out = nodeLines(r, `${label}: CertificateRequest ${r.name}`, '  ', p, now);
  if (!Array.isArray(r.orders)) {
    out.push(`    ${p.err('Orders: lookup failed')} — ${r.orders.error}`);
    return out;
  }
  for (const o of r.orders) {
    out.push(...nodeLines(o, `Order ${o.name}`, '    ', p, now));
    if (!Array.isArray(o.challenges)) {
      out.push(`      ${p.err('Challenges: lookup failed')} — ${o.challenges.error}`);
      continue;
    }
    if (o.challenges.length === 0) out.push(`      ${p.dim('Challenges: none (the order needs none, or they are done and deleted)')}`);
    for (const c of o.challenges) out.push(...nodeLines(c, `Challenge ${c.name}`, '      ', p, now));
  }
  return out;
}

export function certificateStatusText(w: CertificateWalk, p: Palette, now: Date): string {
  const c = w.certificate;
  const out = [p.bold(`Certificate ${w.namespace}/${w.name}`) + p.dim(`  secret ${c.secretName ?? '-'}, names ${c.dnsNames.join(', ') || '-'}`)];
  for (const cond of c.conditions) out.push(`  ${condLine(cond, p)}`);
  if (c.conditions.length === 0) out.push(`  ${p.warn('no conditions: no cert-manager controller has processed it')}`);
  const times = [c.notAfter ? `notAfter ${c.notAfter}` : '', c.renewalTime ? `renewalTime ${c.renewalTime}` : '', c.revision !== undefined ? `revision ${c.revision}` : ''].filter(Boolean);
  if (times.length) out.push(`  ${p.dim(times.join(', '))}`);
  if (c.lastFailureTime) out.push(`  ${p.warn(`lastFailureTime ${c.lastFailureTime}`)}${c.failedIssuanceAttempts ? p.dim(` (failed attempts: ${c.failedIssuanceAttempts})`) : ''}`);
  out.push(...eventLines(c.events, '  ', p, now));

  const ref = c.issuerRef;
  if ('error' in w.issuer) out.push(`  ${p.bold(`Issuer ${ref.kind}/${ref.name}`)}: ${p.err('lookup failed')} — ${w.issuer.error}`);
  else if (w.issuer.external) out.push(`  ${p.bold(`Issuer ${ref.kind}/${ref.name}`)} ${p.dim(`(external, group ${ref.group}; not looked up)`)}`);
  else if (!w.issuer.exists) out.push(`  ${p.bold(`Issuer ${ref.kind}/${ref.name}`)}: ${p.err('does not exist')}`);
  else out.push(...nodeLines(w.issuer, `Issuer ${ref.kind}/${ref.name}`, '  ', p, now));

  if (w.current) out.push(...requestLines(w.current, 'In flight', p, now));
  else out.push(`  ${p.dim('No CertificateRequest in flight')}`);
  if (w.lastFinished && w.lastFinished.name !== w.current?.name) out.push(...requestLines(w.lastFinished, 'Last finished', p, now));
  for (const e of w.errors) out.push(`  ${p.err('lookup failed:')} ${e}`);
  return out.join('\n');
}
