// Validates generated objects with @kubernetes-models/cert-manager (JSON schemas generated from
// the cert-manager and trust-manager CRDs). The 4.x line (the newest that runs on Node 20) predates
// ACME `profile` and trust-manager's ClusterBundle: those are checked against the real CRDs in the
// integration suite instead. Its schemas also allow unknown fields, so they catch wrong types,
// enums and missing required fields, not typos in field names.
import { ClusterIssuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer';
import { Issuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Issuer';
import { Certificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import { Bundle } from '@kubernetes-models/cert-manager/trust.cert-manager.io/v1alpha1/Bundle';
import type { KubeObject } from '../../src/core/kube/client.js';

type Validatable = { validate(): void };
const MODELS: Record<string, (o: KubeObject) => Validatable> = {
  'cert-manager.io/v1 ClusterIssuer': (o) => new ClusterIssuer(o as never),
  'cert-manager.io/v1 Issuer': (o) => new Issuer(o as never),
  'cert-manager.io/v1 Certificate': (o) => new Certificate(o as never),
  'trust.cert-manager.io/v1alpha1 Bundle': (o) => new Bundle(o as never),
};

/** Throws on the first invalid object; returns how many objects a model covered. */
export function validateWithModels(objects: KubeObject[]): number {
  let covered = 0;
  for (const o of objects) {
    const make = MODELS[`${o.apiVersion} ${o.kind}`];
    if (!make) continue;
    make(o).validate();
    covered++;
  }
  return covered;
}
