// Builds the cert-manager object set for one setup from a plain options object, and applies it.
// The wizard (setup) asks the questions; this service only turns answers into a plan, checks the
// plan against what the installed cert-manager can take, and applies it idempotently.
import type { KubeClient, KubeObject } from '../core/kube/client.js';
import { isForbidden } from '../core/kube/client.js';
import { path, R } from '../core/kube/paths.js';
import { applyPlan, offlinePlan, type Plan, type PlanResult } from '../core/kube/apply-plan.js';
import { ExitCode, TlsError } from '../core/errors.js';
import {
  certManagerInstallCommands,
  detectCertManager,
  RECOMMENDED_CERT_MANAGER_VERSION,
  type CertManagerCapabilities,
} from '../core/cert-manager/version.js';
import { acmeIssuer, caIssuer, selfSignedCaBootstrap, type AcmeIssuerInput, type BootstrapInput, type CaIssuerInput, type IssuerBuild } from '../core/manifests/cert-manager/issuer.js';
import { certificate, type CertificateInput } from '../core/manifests/cert-manager/certificate.js';
import { ingressIssuerPatch, type IngressAnnotationInput } from '../core/manifests/cert-manager/ingress-annotation.js';
import { DEFAULT_TRUST_NAME, trustBundle, trustConfigMap, type TrustApi } from '../core/manifests/trust-manager.js';
import { prometheusRule, prometheusRulesFile, type AlertsInput } from '../core/manifests/prometheus-rule.js';

export type IssuerOptions = ({ type: 'acme' } & AcmeIssuerInput) | ({ type: 'ca' } & CaIssuerInput) | ({ type: 'selfsigned-bootstrap' } & BootstrapInput);

export interface TrustOptions {
  name?: string | undefined;
  caPem: string;
  namespaces: string[] | 'all';
  key?: string | undefined;
  includeDefaultCAs?: boolean | undefined;
  /** 'auto': the trust-manager API the cluster serves, else ConfigMaps. */
  via: TrustApi | 'configmap' | 'auto';
}

export interface AlertOptions extends AlertsInput {
  /** 'auto': a PrometheusRule when the CRD exists, else a rules file. */
  via: 'prometheus-rule' | 'file' | 'auto';
  /** File name for the 'file' path. */
  fileName?: string | undefined;
}

export interface CertManagerOptions {
  issuer: IssuerOptions;
  /** A Certificate for the target… */
  certificate?: Omit<CertificateInput, 'issuerRef'> | undefined;
  /** …or the issuer annotation on the user's existing Ingress (ingress-shim makes the Certificate). */
  ingress?: Omit<IngressAnnotationInput, 'issuerRef'> | undefined;
  trust?: TrustOptions | undefined;
  alerts?: AlertOptions | undefined;
  /** What the cluster can take; from detectCertManager / cluster facts. Unknown → fields not refused. */
  capabilities?: CertManagerCapabilities | undefined;
  /** What the cluster serves, for the 'auto' choices. Unknown (offline) → the built-in fallbacks. */
  cluster?: { trustApi?: TrustApi | undefined; prometheusOperator?: boolean | undefined } | undefined;
}

export interface PlanFile {
  name: string;
  content: string;
  description: string;
}

export interface CertManagerPlan extends Plan {
  issuerRef: IssuerBuild['issuerRef'];
  /** Files to write instead of objects (alert rules without the Prometheus Operator). */
  files: PlanFile[];
  notes: string[];
}

/** cert-manager is not installed: carries the commands to offer. Never acted on without a yes. */
export class CertManagerNotInstalledError extends TlsError {
  readonly install: { kubectl: string; helm: string };
  constructor(install = certManagerInstallCommands()) {
    super('cert-manager-missing', ExitCode.CouldNotRun, 'cert-manager is not installed in this cluster (no cert-manager.io CRDs)', {
      hint: `install it (${install.kubectl}), or choose --via built-in`,
    });
    this.install = install;
  }
}

export async function buildCertManagerPlan(o: CertManagerOptions): Promise<CertManagerPlan> {
  const caps = o.capabilities;
  const notes: string[] = [];
  let build: IssuerBuild;
  switch (o.issuer.type) {
    case 'acme': {
      const { type: _t, ...input } = o.issuer;
      build = acmeIssuer(input, caps);
      break;
    }
    case 'ca': {
      const { type: _t, ...input } = o.issuer;
      build = caIssuer(input);
      break;
    }
    case 'selfsigned-bootstrap': {
      const { type: _t, ...input } = o.issuer;
      build = selfSignedCaBootstrap(input);
      break;
    }
  }
  const objects: KubeObject[] = [...build.objects];
  notes.push(...build.notes);

  if (o.certificate && o.ingress) {
    throw new TlsError('usage', ExitCode.Usage, 'both a Certificate and the Ingress annotation were asked for the same target', { hint: 'choose one: the annotation when the Ingress lists the hosts, a Certificate otherwise' });
  }
  if (o.certificate) objects.push(certificate({ ...o.certificate, issuerRef: build.issuerRef }));
  if (o.ingress) {
    const r = ingressIssuerPatch({ ...o.ingress, issuerRef: build.issuerRef }, caps);
    objects.push(r.patch);
    notes.push(...r.notes);
  }

  const files: PlanFile[] = [];
  if (o.trust) {
    const via = o.trust.via === 'auto' ? (o.cluster?.trustApi ?? 'configmap') : o.trust.via;
    const name = o.trust.name ?? DEFAULT_TRUST_NAME;
    if (via === 'configmap') {
      if (o.trust.namespaces === 'all') throw new TlsError('usage', ExitCode.Usage, 'without trust-manager the CA goes to named namespaces only', { hint: 'list the namespaces, or install trust-manager for cluster-wide distribution' });
      for (const ns of o.trust.namespaces) objects.push(trustConfigMap({ bundle: name, namespace: ns, caPem: o.trust.caPem, key: o.trust.key }));
      notes.push(`Without trust-manager the CA is copied as ConfigMap ${name} into each namespace; run \`kubectl vibectl-tls trust sync\` after a CA rotation to refresh them.`);
    } else {
      const r = trustBundle(via, { name, caPem: o.trust.caPem, namespaces: o.trust.namespaces, key: o.trust.key, includeDefaultCAs: o.trust.includeDefaultCAs });
      objects.push(...r.objects);
      notes.push(...r.notes);
    }
  }

  if (o.alerts) {
    const via = o.alerts.via === 'auto' ? (o.cluster?.prometheusOperator ? 'prometheus-rule' : 'file') : o.alerts.via;
    if (via === 'prometheus-rule') objects.push(prometheusRule(o.alerts));
    else {
      const name = o.alerts.fileName ?? 'vibectl-tls-cert-manager.rules.yaml';
      files.push({ name, content: await prometheusRulesFile(o.alerts), description: 'Prometheus alerting rules (add to rule_files: in prometheus.yml)' });
      notes.push(`No Prometheus Operator: alert rules are written to ${name}; load it with rule_files: in prometheus.yml.`);
    }
  }
  return { objects, files, notes, issuerRef: build.issuerRef };
}

/** What the cluster has that the plan depends on. */
export async function detectClusterSupport(kube: KubeClient): Promise<{ capabilities: CertManagerCapabilities; trustApi?: TrustApi | undefined; prometheusOperator?: boolean | undefined }> {
  const capabilities = await detectCertManager(kube);
  const crd = async (name: string): Promise<boolean | undefined> => {
    try {
      return (await kube.get(path(R.crds, { name }))) !== null;
    } catch (err) {
      if (isForbidden(err)) return undefined;
      throw err;
    }
  };
  const [v2, v1, prom] = await Promise.all([crd('clusterbundles.trust-manager.io'), crd('bundles.trust.cert-manager.io'), crd('prometheusrules.monitoring.coreos.com')]);
  const trustApi: TrustApi | undefined = v2 ? 'v1alpha2' : v1 ? 'v1alpha1' : undefined;
  return { capabilities, trustApi, prometheusOperator: prom };
}

export interface PlanCertManagerResult {
  plan: CertManagerPlan;
  result: PlanResult;
}

/**
 * With a cluster: detect what it can take, build, then compare and (unless dryRun) apply.
 * Without one (kube undefined): build with what the options say and report every object as new.
 */
export async function planCertManager(kube: KubeClient | undefined, o: CertManagerOptions, options: { dryRun?: boolean } = {}): Promise<PlanCertManagerResult> {
  if (!kube) {
    const plan = await buildCertManagerPlan(o);
    return { plan, result: offlinePlan(plan) };
  }
  const support = await detectClusterSupport(kube);
  if (support.capabilities.installed === false) throw new CertManagerNotInstalledError(certManagerInstallCommands(RECOMMENDED_CERT_MANAGER_VERSION));
  const plan = await buildCertManagerPlan({
    ...o,
    capabilities: o.capabilities ?? support.capabilities,
    cluster: { trustApi: o.cluster?.trustApi ?? support.trustApi, prometheusOperator: o.cluster?.prometheusOperator ?? support.prometheusOperator },
  });
  const result = await applyPlan(kube, plan, options);
  return { plan, result };
}
