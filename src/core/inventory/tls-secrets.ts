// Inventory of kubernetes.io/tls Secrets: one row per Secret with issuer, names and expiry.
// Pages through the list and keeps only the rows, so thousands of Secrets stay memory-flat.
import { X509Certificate } from 'node:crypto';
import type { KubeClient, KubeObject } from '../kube/client.js';
import { path, R } from '../kube/paths.js';

export interface InventoryRow {
  namespace: string;
  name: string;
  issuer: string | null;
  subject: string | null;
  sans: string[];
  notAfter: string | null;
  daysLeft: number | null;
  /** Set when tls.crt is missing or does not parse. */
  error: string | null;
  /** cert-manager's Certificate name when the Secret carries its annotation. */
  certificate: string | null;
}

const FIRST_CERT = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/;

function cn(dn: string): string {
  return dn.split('\n').find((l) => l.startsWith('CN='))?.slice(3) ?? dn.replace(/\n/g, ', ');
}

export function inventoryRow(secret: KubeObject & { data?: Record<string, string> }, now: Date): InventoryRow {
  const md = secret.metadata ?? {};
  const row: InventoryRow = {
    namespace: md.namespace ?? '',
    name: md.name ?? '',
    issuer: null,
    subject: null,
    sans: [],
    notAfter: null,
    daysLeft: null,
    error: null,
    certificate: md.annotations?.['cert-manager.io/certificate-name'] ?? null,
  };
  const b64 = secret.data?.['tls.crt'];
  if (!b64) return { ...row, error: 'tls.crt is missing or empty' };
  const m = FIRST_CERT.exec(Buffer.from(b64, 'base64').toString('utf8'));
  if (!m) return { ...row, error: 'tls.crt has no PEM certificate' };
  try {
    const x = new X509Certificate(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
    const notAfter = new Date(x.validTo);
    return {
      ...row,
      issuer: cn(x.issuer),
      subject: cn(x.subject),
      sans: (x.subjectAltName ?? '').split(', ').filter(Boolean).map((s) => s.replace(/^DNS:/, '').replace(/^IP Address:/, '')),
      notAfter: notAfter.toISOString(),
      daysLeft: Math.floor((notAfter.getTime() - now.getTime()) / 86_400_000),
    };
  } catch (err) {
    return { ...row, error: `tls.crt does not parse: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` };
  }
}

export interface InventoryOptions {
  kube: KubeClient;
  /** undefined = all namespaces. */
  namespace: string | undefined;
  now: Date;
  pageSize?: number;
}

/** Soonest expiry first; Secrets whose certificate cannot be read come first of all. */
export async function tlsSecretInventory(options: InventoryOptions): Promise<InventoryRow[]> {
  const rows: InventoryRow[] = [];
  const listPath = path(R.secrets, { namespace: options.namespace });
  for await (const page of options.kube.listPages<KubeObject & { data?: Record<string, string> }>(listPath, {
    limit: options.pageSize ?? 250,
    query: { fieldSelector: 'type=kubernetes.io/tls' },
  })) {
    for (const s of page) rows.push(inventoryRow(s, options.now));
  }
  const key = (r: InventoryRow) => (r.error ? -Infinity : (r.daysLeft ?? Infinity));
  return rows.sort((a, b) => key(a) - key(b) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}
