import type { AccountReport, IssueReport } from '../../services/acme.js';
import type { RenewReport } from '../../services/renew.js';
import type { Palette } from '../colors.js';

function rows(list: Array<[string, string]>, p: Palette): string {
  const width = Math.max(...list.map(([k]) => k.length));
  return list.map(([k, v]) => `${p.bold(k.padEnd(width))}  ${v}`).join('\n');
}

export function acmeIssueText(r: IssueReport, p: Palette): string {
  const where = r.written.secret ? `Secret ${r.written.secret.namespace}/${r.written.secret.name}` : `${r.written.files?.certificate ?? ''} + ${r.written.files?.key ?? ''} (0600)`;
  return [
    `${p.ok('✔')} issued a certificate for ${r.names.join(', ')}`,
    rows(
      [
        ['written to', where],
        ['valid', `${r.notBefore} → ${r.notAfter}`],
        ['issuer', r.issuer],
        ['serial', r.serial],
        ['key', r.keyAlgorithm],
        ['profile', r.profile ?? p.dim('CA default')],
        ...(r.replaced ? ([['replaces', r.replaced]] as Array<[string, string]>) : []),
        ['CA', r.directoryUrl],
        ['account', `${r.account.url} (${r.account.created ? 'created now' : 'reused'}, saved in ${r.account.location})`],
      ],
      p,
    ),
    p.dim('renew with `kubectl vibectl-tls renew` (it renews only what is due)'),
  ].join('\n');
}

export function acmeAccountText(r: AccountReport, p: Palette): string {
  if (!r.account) return `${p.warn('no saved ACME account')} for ${r.directoryUrl}\n${p.dim('one is created by the first `acme issue` against this CA')}`;
  const a = r.account;
  const head = r.action === 'deactivate' ? `${p.ok('✔')} deactivated the ACME account and removed it from ${a.location}` : `ACME account for ${a.directoryUrl}`;
  return [
    head,
    rows(
      [
        ['url', a.url],
        ['status', a.status === 'valid' ? p.ok(a.status) : p.warn(a.status)],
        ['contact', a.contact.length ? a.contact.join(', ') : p.dim('none')],
        ['saved in', a.location],
        ['created', a.createdAt],
      ],
      p,
    ),
  ].join('\n');
}

export function renewText(r: RenewReport, p: Palette): string {
  if (r.items.length === 0) return p.dim('nothing managed by vibectl-tls through ACME was found');
  const lines = r.items.map((i) => {
    const mark = i.outcome === 'renewed' ? p.ok('✔ renewed') : i.outcome === 'failed' ? p.err('✖ failed') : i.outcome === 'would-renew' ? p.warn('… would renew') : p.dim('– not due');
    const when = i.plan ? ` (${i.plan.source === 'ari' ? 'ARI window' : 'lifetime rule'} from ${i.plan.window.start}, expires ${i.notAfter ?? '?'})` : '';
    return `${mark}  ${i.target}  ${i.names.join(', ')}${when}${i.error ? `\n      ${p.err(i.error)}` : ''}`;
  });
  return [...lines, p.dim(`${r.renewed} renewed, ${r.notDue} not due, ${r.failed} failed${r.dryRun ? ' (dry run: nothing written)' : ''}`)].join('\n');
}
