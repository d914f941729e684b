import type { TrustSyncResult } from '../../services/trust.js';
import type { Palette } from '../colors.js';
import { planText } from './apply-plan.js';

export function trustSyncText(r: TrustSyncResult, p: Palette): string {
  const lines = [p.dim(`CA bundle from ${r.source} → ConfigMap ${r.bundle} in ${r.namespaces.length} namespace${r.namespaces.length === 1 ? '' : 's'}`), planText(r, p)];
  if (r.pruned.length) lines.push(`removed from ${r.pruned.join(', ')}`);
  else if (r.stale.length) lines.push(p.warn(`also present in ${r.stale.join(', ')} (not named; pass --prune to remove)`));
  return lines.join('\n');
}
