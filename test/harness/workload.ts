// A Node TLS server that stands in for a workload's pod: it serves the Secret its Deployment mounts,
// like a server reading tls.crt/tls.key from a Secret volume that the kubelet keeps up to date.
// Until the Deployment mounts a Secret it serves the certificate it was started with.
import https from 'node:https';
import { X509Certificate } from 'node:crypto';
import type { KubeClient, KubeObject } from '../../src/core/kube/client.js';
import { path, R } from '../../src/core/kube/paths.js';

export interface WorkloadOptions {
  kube: KubeClient;
  namespace: string;
  /** The Deployment whose pod template is read for `volumes[].secret.secretName`. */
  deployment: string;
  /** What to serve before (or while) the Deployment mounts no usable Secret. */
  initial: { certPem: string; keyPem: string };
  host?: string;
  port?: number;
  /** How often the Deployment and Secret are read (the kubelet's sync is slower). */
  intervalMs?: number;
  /** Called after each switch of the served certificate, and on errors reading or loading it. */
  onEvent?: (e: { kind: 'serving'; secret: string; serial: string; subject: string } | { kind: 'error'; message: string }) => void;
}

export interface Workload {
  server: https.Server;
  host: string;
  port: number;
  /** `namespace/name` of the Secret being served, or undefined while serving the initial certificate. */
  servingSecret(): string | undefined;
  /** Serial number (hex, upper case) of the leaf being served. */
  servingSerial(): string;
  close(): Promise<void>;
}

interface Deployment extends KubeObject {
  spec?: { template?: { spec?: { volumes?: Array<{ name: string; secret?: { secretName?: string } }>; containers?: Array<{ volumeMounts?: Array<{ name: string }> }> } } };
}
interface Secret extends KubeObject {
  data?: Record<string, string>;
}

// TLS 1.3 only, like the vibectl client; h2 first for gRPC.
const TLS_OPTIONS = { minVersion: 'TLSv1.3', ALPNProtocols: ['h2', 'http/1.1'] } as const;

/** The Secret a container of the Deployment mounts (the first, when several are). */
function mountedSecret(d: Deployment | null): string | undefined {
  const spec = d?.spec?.template?.spec;
  const mounted = new Set((spec?.containers ?? []).flatMap((c) => (c.volumeMounts ?? []).map((m) => m.name)));
  return spec?.volumes?.find((v) => v.secret?.secretName && mounted.has(v.name))?.secret?.secretName;
}

export async function startWorkload(o: WorkloadOptions): Promise<Workload> {
  const host = o.host ?? '127.0.0.1';
  const server = https.createServer({ cert: o.initial.certPem, key: o.initial.keyPem, ...TLS_OPTIONS }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('vibectl-server sandbox stand-in\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, resolve);
  });
  server.unref();
  const port = (server.address() as { port: number }).port;

  let serving: { secret: string | undefined; version: string; serial: string } = { secret: undefined, version: 'initial', serial: new X509Certificate(o.initial.certPem).serialNumber };
  let lastError = '';
  const report = (message: string) => {
    if (message !== lastError) o.onEvent?.({ kind: 'error', message });
    lastError = message;
  };

  const sync = async (): Promise<void> => {
    const dep = await o.kube.get<Deployment>(path(R.deployments, { namespace: o.namespace, name: o.deployment }));
    const name = mountedSecret(dep);
    if (!name) return;
    const secret = await o.kube.get<Secret>(path(R.secrets, { namespace: o.namespace, name }));
    const ref = `${o.namespace}/${name}`;
    if (!secret) return report(`Secret ${ref} is mounted but does not exist (a pod would not start)`);
    const version = secret.metadata?.resourceVersion ?? '';
    if (serving.secret === ref && serving.version === version) return;
    const cert = Buffer.from(secret.data?.['tls.crt'] ?? '', 'base64').toString('utf8');
    const key = Buffer.from(secret.data?.['tls.key'] ?? '', 'base64').toString('utf8');
    if (!cert || !key) return report(`Secret ${ref} has no tls.crt/tls.key`);
    // Same as a server reloading its files: new handshakes get the new pair, open connections stay.
    server.setSecureContext({ cert, key, ...TLS_OPTIONS });
    const leaf = new X509Certificate(cert);
    serving = { secret: ref, version, serial: leaf.serialNumber };
    lastError = '';
    o.onEvent?.({ kind: 'serving', secret: ref, serial: leaf.serialNumber, subject: leaf.subject });
  };

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const loop = async (): Promise<void> => {
    try {
      await sync();
    } catch (err) {
      // A key that does not match its certificate, or the API server going away: keep serving what works.
      report(err instanceof Error ? err.message : String(err));
    }
    if (!stopped) {
      timer = setTimeout(() => void loop(), o.intervalMs ?? 500);
      timer.unref();
    }
  };
  await loop();

  return {
    server,
    host,
    port,
    servingSecret: () => serving.secret,
    servingSerial: () => serving.serial,
    close: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
