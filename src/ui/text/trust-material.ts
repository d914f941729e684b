// Text for `trust export` (what the file holds) and `trust verify` (one line per endpoint).
import type { TrustExportReport } from '../../services/trust-export.js';
import type { TrustVerifyReport } from '../../services/trust-verify.js';
import type { CertificateSummary } from '../../services/trust-material.js';
import type { Palette } from '../colors.js';

function certLine(c: CertificateSummary, p: Palette): string {
  const expiry = c.expired ? p.err(`expired ${c.notAfter.slice(0, 10)}`) : c.daysLeft < 30 ? p.warn(`expires ${c.notAfter.slice(0, 10)} (${c.daysLeft} d)`) : `until ${c.notAfter.slice(0, 10)} (${c.daysLeft} d)`;
  return `  ${c.subject}${c.ca ? '' : p.warn(' (not a CA)')}\n    ${p.dim(`SHA-256 ${c.fingerprintSha256}`)}\n    ${expiry}`;
}

export function trustExportText(r: TrustExportReport, p: Palette): string {
  const head = `${r.out ? `wrote ${r.format} (${r.bytes} bytes) to ${r.out}` : `${r.format}`} from ${r.source}: ${r.certificates.length} certificate${r.certificates.length === 1 ? '' : 's'}`;
  return [head, ...r.certificates.map((c) => certLine(c, p))].join('\n');
}

export function trustVerifyText(r: TrustVerifyReport, p: Palette): string {
  const lines = [p.dim(`trusting only ${r.bundle.source} (${r.bundle.certificates} certificate${r.bundle.certificates === 1 ? '' : 's'}), ${r.minVersion === 'TLSv1.3' ? 'TLS 1.3 only' : 'TLS 1.2+'}`)];
  for (const e of r.endpoints) {
    lines.push(e.verified ? `${p.ok('✔')} ${e.endpoint}  ${e.message}` : `${p.err('✖')} ${e.endpoint}  ${p.err(e.reason ?? 'failed')}: ${e.message}`);
  }
  lines.push(r.success ? p.ok(`${r.verified} of ${r.endpoints.length} verified`) : p.err(`${r.failed} of ${r.endpoints.length} would be refused by a client with this bundle`));
  return lines.join('\n');
}
