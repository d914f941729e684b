// What every ACME solver builder receives and returns.
import type { KubeObject } from '../../../kube/client.js';

export interface SolverContext {
  /** Issuer/ClusterIssuer name: credential Secrets are named after it. */
  issuerName: string;
  /** Where referenced Secrets must live: the Issuer's namespace, or cert-manager's cluster resource namespace for a ClusterIssuer. */
  secretNamespace: string;
  issuerKind: 'Issuer' | 'ClusterIssuer';
}

export interface SolverResult {
  /** One entry of spec.acme.solvers. */
  solver: Record<string, unknown>;
  /** Credential Secrets the solver references, created from the user's input. */
  secrets: KubeObject[];
  /** Things the user should know (ambient credentials, IAM they must grant). */
  notes: string[];
}

/** Restricts a solver to some zones or names (spec.acme.solvers[].selector). */
export interface SolverSelector {
  dnsZones?: string[] | undefined;
  dnsNames?: string[] | undefined;
}

export function withSelector(solver: Record<string, unknown>, selector: SolverSelector | undefined): Record<string, unknown> {
  const sel: Record<string, string[]> = {};
  if (selector?.dnsZones?.length) sel.dnsZones = [...selector.dnsZones];
  if (selector?.dnsNames?.length) sel.dnsNames = [...selector.dnsNames];
  return Object.keys(sel).length > 0 ? { ...solver, selector: sel } : solver;
}
