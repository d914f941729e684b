import type { ClusterFacts, Fact } from '../../core/cluster/facts.js';
import type { Palette } from '../colors.js';

export function contextText(f: ClusterFacts, p: Palette): string {
  const show = <T>(fact: Fact<T>, fmt: (v: T) => string): string =>
    fact.known ? fmt(fact.value) : p.warn(`unknown (${fact.reason})`);
  const yes = (b: boolean, extra = '') => (b ? p.ok('yes') + extra : p.dim('no'));
  const rows: Array<[string, string]> = [
    ['context', f.context],
    ['cluster', `${f.cluster} (${f.server})`],
    ['namespace', f.namespace],
    ['auth', f.authMethod],
    ['kubernetes', show(f.kubernetesVersion, (v) => v)],
    ['cloud provider', show(f.cloudProvider, (v) => `${v.provider} (${v.nodes} node${v.nodes === 1 ? '' : 's'})`)],
    ['cert-manager', show(f.certManager, (v) => yes(v.installed, v.version ? ` (${v.version})` : ' (version unknown)'))],
    ['trust-manager', show(f.trustManager, (v) => yes(v.installed, v.apis.length ? ` (${v.apis.join(', ')})` : ''))],
    ['Gateway API', show(f.gatewayApi, (v) => yes(v.installed, v.gatewayClasses.length ? ` (classes: ${v.gatewayClasses.join(', ')})` : ''))],
    ['ingress classes', show(f.ingressClasses, (v) => (v.names.length ? v.names.map((n) => (n === v.default ? `${n} (default)` : n)).join(', ') : p.dim('none')))],
    ['Prometheus Operator', show(f.prometheusOperator, (v) => yes(v.installed))],
    ['TLS Secrets', show(f.tlsSecrets, (v) => `${v.count} in ${v.scope}`)],
    ['vibectl-server', show(f.vibectlServers, (v) => (v.length ? v.map((w) => `${w.kind.toLowerCase()}/${w.name} -n ${w.namespace} (${w.why})`).join(', ') : p.dim('none found')))],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${p.bold(k.padEnd(width))}  ${v}`).join('\n');
}
