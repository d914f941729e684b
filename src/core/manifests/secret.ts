// Opaque Secrets that hold credentials the user gave us (TSIG keys, API tokens, EAB keys).
// Values go into `data` (base64), not `stringData`: stringData is write-only, so a live object
// would never compare equal to the desired one and every apply would look like a change.
import type { KubeObject } from '../kube/client.js';
import { ownedMetadata } from './labels.js';

export interface SecretInput {
  name: string;
  namespace: string;
  data: Record<string, string>;
  component?: string | undefined;
  type?: string;
}

export function credentialSecret(s: SecretInput): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: ownedMetadata({ name: s.name, namespace: s.namespace, component: s.component }),
    type: s.type ?? 'Opaque',
    data: Object.fromEntries(Object.entries(s.data).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')])),
  };
}

/** A copy with every Secret value replaced, for printing plans and `--dry-run -o yaml`. */
export function redactSecrets<T extends KubeObject>(obj: T): T {
  if (obj.kind !== 'Secret' || obj.apiVersion !== 'v1') return obj;
  const out: KubeObject = { ...obj };
  for (const field of ['data', 'stringData'] as const) {
    const values = obj[field] as Record<string, string> | undefined;
    if (!values) continue;
    out[field] = Object.fromEntries(Object.keys(values).map((k) => [k, `<redacted: ${byteLength(values[k] ?? '', field)} bytes>`]));
  }
  return out as T;
}

function byteLength(value: string, field: 'data' | 'stringData'): number {
  return field === 'data' ? Buffer.from(value, 'base64').length : Buffer.byteLength(value);
}
