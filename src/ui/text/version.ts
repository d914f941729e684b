import type { VersionReport } from '../../services/version.js';
import type { Palette } from '../colors.js';

export function versionText(r: VersionReport, p: Palette): string {
  const k8s = r.kubernetes.reachable
    ? `${r.kubernetes.server} (context ${r.kubernetes.context})`
    : p.dim(`not reachable${r.kubernetes.error ? `: ${r.kubernetes.error}` : ''}`);
  return [`vibectl-tls  ${r.plugin}`, `node         ${r.node} (${r.platform})`, `kubernetes   ${k8s}`].join('\n');
}
