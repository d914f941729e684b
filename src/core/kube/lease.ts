// A coordination.k8s.io Lease as a lock across machines: two setups aimed at the same target at
// the same time — one applies, the other stops with a conflict before changing anything.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { KubeClient, KubeObject } from './client.js';
import { KubeApiError } from './client.js';
import { ConflictError } from '../errors.js';

interface Lease extends KubeObject {
  spec?: { holderIdentity?: string; leaseDurationSeconds?: number; renewTime?: string; acquireTime?: string };
}

export interface LeaseOptions {
  namespace: string;
  name: string;
  /** What the lock protects, for the conflict message ("Secret apps/web-tls"). */
  what: string;
  ttlSeconds?: number;
  now?: () => Date;
}

const leasePath = (ns: string, name?: string) => `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(ns)}/leases${name ? `/${encodeURIComponent(name)}` : ''}`;
const microTime = (d: Date) => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/**
 * A holder on this machine whose process no longer exists (Ctrl+C or a kill before it released
 * the lease) holds nothing: its lease is taken over at once instead of after the TTL.
 */
function holderGone(holder: string): boolean {
  const [host, pid] = holder.split('/');
  if (host !== hostname() || !pid || !/^\d+$/.test(pid)) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Takes the lease or throws ConflictError naming the holder; returns the release function. */
export async function acquireLease(kube: KubeClient, o: LeaseOptions): Promise<() => Promise<void>> {
  const now = (o.now ?? (() => new Date()))();
  const ttl = o.ttlSeconds ?? 300;
  const holder = `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`;
  const spec = { holderIdentity: holder, leaseDurationSeconds: ttl, acquireTime: microTime(now), renewTime: microTime(now) };
  const live = await kube.get<Lease>(leasePath(o.namespace, o.name));
  const conflict = (by: string | undefined, since: string | undefined) =>
    new ConflictError(`another setup (${by ?? 'unknown holder'}) is applying to ${o.what} since ${since ?? 'just now'}; nothing was changed`, {
      hint: `wait for it to finish and run again; a crashed run's lock expires after ${ttl}s (Lease ${o.namespace}/${o.name})`,
    });
  try {
    if (!live) {
      await kube.create(leasePath(o.namespace), { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: o.name, namespace: o.namespace, labels: { 'app.kubernetes.io/managed-by': 'vibectl-tls' } }, spec });
    } else {
      const renewed = Date.parse(live.spec?.renewTime ?? '') || 0;
      const expires = renewed + (live.spec?.leaseDurationSeconds ?? ttl) * 1000;
      if (live.spec?.holderIdentity && expires > now.getTime() && !holderGone(live.spec.holderIdentity)) throw conflict(live.spec.holderIdentity, live.spec.acquireTime);
      // Expired (a crashed run): take it over, guarded by resourceVersion against a racing taker.
      await kube.replace(leasePath(o.namespace, o.name), { ...live, spec });
    }
  } catch (err) {
    if (err instanceof KubeApiError && err.status === 409) throw conflict(undefined, undefined);
    throw err;
  }
  return async () => {
    const current = await kube.get<Lease>(leasePath(o.namespace, o.name));
    if (current?.spec?.holderIdentity === holder) await kube.delete(leasePath(o.namespace, o.name));
  };
}
