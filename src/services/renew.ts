// `renew`: renew every ACME certificate this tool manages that is due, and nothing else.
// Due = inside the CA's ARI window (RFC 9773) when it offers one, else the lifetime rule
// (one third left; one half for lifetimes ≤ 10 days). Renewal orders carry `replaces`.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalAccountStore } from '../core/acme/account-store.js';
import { planRenewal, readCertFacts, type RenewalPlan } from '../core/acme/ari.js';
import { AcmeSession } from '../core/acme/client.js';
import { MANAGED_LABEL, MANAGED_VALUE, SPEC_ANNOTATION, SPEC_FILE, parseSpec, type AcmeSpec } from '../core/acme/managed.js';
import { InterruptedError, toTlsError } from '../core/errors.js';
import type { KubeClient } from '../core/kube/client.js';
import { R, path as kpath } from '../core/kube/paths.js';
import { listLocal, runOrder, type AcmeDeps, type IssueTarget } from './acme.js';

export interface RenewItem {
  /** "dir /path" or "secret ns/name". */
  target: string;
  names: string[];
  notAfter: string | null;
  plan: { source: RenewalPlan['source']; window: { start: string; end: string }; renewAt: string; explanationUrl?: string } | null;
  outcome: 'renewed' | 'not-due' | 'would-renew' | 'failed';
  newNotAfter?: string;
  replaced?: string | null;
  error?: string;
}

export interface RenewReport {
  dryRun: boolean;
  items: RenewItem[];
  renewed: number;
  notDue: number;
  failed: number;
  warnings: string[];
}

export interface RenewOptions {
  /** Secrets in every namespace, not just -n. */
  allNamespaces?: boolean;
  dryRun?: boolean;
  /** Renew even when not due. */
  force?: boolean;
}

interface Candidate {
  target: IssueTarget;
  label: string;
  spec: AcmeSpec;
  certPem: string;
  namespace?: string;
}

async function localCandidates(deps: AcmeDeps, warnings: string[]): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for (const dir of await listLocal(deps.env)) {
    try {
      const spec = parseSpec(await readFile(join(dir, SPEC_FILE), 'utf8'));
      if (!spec) continue;
      out.push({ target: { out: dir }, label: `dir ${dir}`, spec, certPem: await readFile(join(dir, 'tls.crt'), 'utf8') });
    } catch (err) {
      warnings.push(`skipped ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  return out;
}

async function secretCandidates(kube: KubeClient, namespace: string | undefined): Promise<Candidate[]> {
  type Secret = { metadata: { name: string; namespace: string; annotations?: Record<string, string> }; data?: Record<string, string> };
  const secrets = await kube.list<Secret>(kpath(R.secrets, namespace ? { namespace } : {}), {
    query: { labelSelector: `${MANAGED_LABEL}=${MANAGED_VALUE},vibectl-tls.io/issuer=acme` },
  });
  const out: Candidate[] = [];
  for (const s of secrets) {
    const spec = parseSpec(s.metadata.annotations?.[SPEC_ANNOTATION]);
    const crt = s.data?.['tls.crt'];
    if (!spec || !crt) continue;
    out.push({
      target: { secret: s.metadata.name },
      label: `secret ${s.metadata.namespace}/${s.metadata.name}`,
      spec,
      certPem: Buffer.from(crt, 'base64').toString('utf8'),
      namespace: s.metadata.namespace,
    });
  }
  return out;
}

async function plan(c: Candidate, deps: AcmeDeps, now: Date, warnings: string[]): Promise<{ plan: RenewalPlan; certId?: string; notAfter: Date }> {
  const facts = await readCertFacts(c.certPem);
  let ari: Awaited<ReturnType<AcmeSession['renewalInfo']>>;
  const caBundlePem = c.spec.caBundleFile ? await readFile(c.spec.caBundleFile, 'utf8') : undefined;
  const session = new AcmeSession({ directoryUrl: c.spec.directoryUrl, caBundlePem, store: new LocalAccountStore(c.spec.directoryUrl, deps.env) });
  try {
    ari = await session.renewalInfo(c.certPem);
  } catch (err) {
    warnings.push(`${c.label}: ARI unavailable (${(err as Error).message}); using the lifetime rule`);
  } finally {
    session.close();
  }
  // The "random" point of RFC 9773 §4.2 is derived from the cert id, so runs from cron agree
  // on it instead of drawing again (and drifting early) every time.
  const random = ari ? () => stableFraction(ari.certId) : undefined;
  const p = planRenewal({ now, notBefore: facts.notBefore, notAfter: facts.notAfter, ari, ...(random ? { random } : {}) });
  return { plan: p, ...(ari?.certId ? { certId: ari.certId } : {}), notAfter: facts.notAfter };
}

export async function renewAll(options: RenewOptions, deps: AcmeDeps): Promise<RenewReport> {
  const now = deps.now?.() ?? new Date();
  const warnings: string[] = [];
  const candidates = await localCandidates(deps, warnings);
  if (deps.kube) {
    try {
      const kube = await deps.kube();
      candidates.push(...(await secretCandidates(kube, options.allNamespaces ? undefined : deps.namespace ?? kube.target.namespace)));
    } catch (err) {
      warnings.push(`Secrets not checked: ${toTlsError(err).message}`);
    }
  }
  const items: RenewItem[] = [];
  for (const c of candidates) {
    const base = { target: c.label, names: c.spec.names };
    try {
      const { plan: p, certId, notAfter } = await plan(c, deps, now, warnings);
      const planOut = {
        source: p.source,
        window: { start: p.window.start.toISOString(), end: p.window.end.toISOString() },
        renewAt: p.renewAt.toISOString(),
        ...(p.explanationUrl ? { explanationUrl: p.explanationUrl } : {}),
      };
      if (!p.due && !options.force) {
        items.push({ ...base, notAfter: notAfter.toISOString(), plan: planOut, outcome: 'not-due' });
        continue;
      }
      if (options.dryRun) {
        items.push({ ...base, notAfter: notAfter.toISOString(), plan: planOut, outcome: 'would-renew' });
        continue;
      }
      deps.log?.(`renewing ${c.label} (${c.spec.names.join(', ')})`);
      const report = await runOrder({ spec: c.spec, target: c.target, replaces: certId, deps: { ...deps, ...(c.namespace ? { namespace: c.namespace } : {}) } });
      items.push({ ...base, notAfter: notAfter.toISOString(), plan: planOut, outcome: 'renewed', newNotAfter: report.notAfter, replaced: report.replaced });
    } catch (err) {
      // Ctrl+C stops the whole run (the order already cleaned up), not just this certificate.
      if (err instanceof InterruptedError) throw err;
      items.push({ ...base, notAfter: null, plan: null, outcome: 'failed', error: toTlsError(err).message });
    }
  }
  return {
    dryRun: Boolean(options.dryRun),
    items,
    renewed: items.filter((i) => i.outcome === 'renewed').length,
    notDue: items.filter((i) => i.outcome === 'not-due').length,
    failed: items.filter((i) => i.outcome === 'failed').length,
    warnings,
  };
}

/** A number in [0,1) fixed for one certificate. */
export function stableFraction(seed: string): number {
  return createHash('sha256').update(seed).digest().readUInt32BE(0) / 2 ** 32;
}
