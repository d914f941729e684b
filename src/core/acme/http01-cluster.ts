// HTTP-01 answered inside the cluster: a temporary nginx Pod serving the tokens from a
// ConfigMap, a Service, and one Ingress rule (or HTTPRoute) per name, all labelled with the
// order's solver id and removed afterwards — also when the order fails.
import { randomBytes } from 'node:crypto';
import { ExternalServiceError } from '../errors.js';
import type { KubeClient } from '../kube/client.js';
import { R, resourcePath, path as kpath } from '../kube/paths.js';
import { waitForHttp01 } from './http01-check.js';
import { http01Path, type ChallengeSolver, type ChallengeTask } from './solver.js';

export const SOLVER_LABEL = 'vibectl-tls.io/acme-solver';
const MANAGED = { 'app.kubernetes.io/managed-by': 'vibectl-tls' };
const HTTPROUTES = { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'httproutes' } as const;

export interface ClusterSolverOptions {
  kube: KubeClient;
  namespace: string;
  /** Route through an Ingress of this class… */
  ingressClass?: string | undefined;
  /** …or attach an HTTPRoute to this Gateway ("ns/name"). */
  gateway?: string | undefined;
  image?: string;
  /** How long to wait for the solver Pod to become ready. */
  podReadyTimeoutMs?: number;
  checkPort?: number;
  resolve?: (name: string) => Promise<string[]>;
  log?: (message: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

export class ClusterHttp01Solver implements ChallengeSolver {
  readonly type = 'http-01' as const;
  readonly description: string;
  /** Label value shared by every object of this order. */
  readonly id: string;
  readonly #o: ClusterSolverOptions;
  readonly #tokens = new Map<string, string>();
  readonly #routes = new Map<string, string>();
  #backend: Promise<void> | undefined;
  readonly removed: string[] = [];

  constructor(options: ClusterSolverOptions) {
    if (!options.ingressClass === !options.gateway) throw new Error('give exactly one of ingressClass or gateway');
    this.#o = options;
    this.id = `acme-${randomBytes(5).toString('hex')}`;
    this.description = `an in-cluster solver (${this.id} in ${options.namespace}, via ${options.ingressClass ? `ingress class ${options.ingressClass}` : `gateway ${options.gateway}`})`;
  }

  #meta(name: string): Record<string, unknown> {
    return { name, namespace: this.#o.namespace, labels: { ...MANAGED, [SOLVER_LABEL]: this.id } };
  }

  async present(task: ChallengeTask): Promise<void> {
    this.#tokens.set(task.token, task.keyAuthorization);
    const name = `${this.id}-${this.#routes.size}`;
    const path = http01Path(task.token);
    const backend = { name: this.id, port: 8080 };
    if (this.#o.ingressClass) {
      await this.#o.kube.create(kpath(R.ingresses, { namespace: this.#o.namespace }), {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { ...this.#meta(name), annotations: { 'nginx.ingress.kubernetes.io/ssl-redirect': 'false' } },
        spec: {
          ingressClassName: this.#o.ingressClass,
          rules: [{ host: task.domain, http: { paths: [{ path, pathType: 'Exact', backend: { service: { name: backend.name, port: { number: backend.port } } } }] } }],
        },
      });
    } else {
      const [gwNs, gwName] = (this.#o.gateway as string).includes('/') ? (this.#o.gateway as string).split('/') : [this.#o.namespace, this.#o.gateway];
      await this.#o.kube.create(resourcePath({ ...HTTPROUTES, namespace: this.#o.namespace }), {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: this.#meta(name),
        spec: {
          parentRefs: [{ name: gwName, namespace: gwNs }],
          hostnames: [task.domain],
          rules: [{ matches: [{ path: { type: 'Exact', value: path } }], backendRefs: [{ name: backend.name, port: backend.port }] }],
        },
      });
    }
    this.#routes.set(task.token, name);
  }

  /** ConfigMap, Pod and Service, made once every token is known (ConfigMap volumes update slowly). */
  async #ensureBackend(readyTimeoutMs: number): Promise<void> {
    const { kube, namespace } = this.#o;
    const data: Record<string, string> = {};
    for (const [token, ka] of this.#tokens) data[token] = ka;
    await kube.create(kpath(R.configmaps, { namespace }), { apiVersion: 'v1', kind: 'ConfigMap', metadata: this.#meta(this.id), data });
    await kube.create(kpath(R.services, { namespace }), {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: this.#meta(this.id),
      spec: { selector: { [SOLVER_LABEL]: this.id }, ports: [{ name: 'http', port: 8080, targetPort: 8080 }] },
    });
    await kube.create(kpath(R.pods, { namespace }), {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: this.#meta(this.id),
      spec: {
        automountServiceAccountToken: false,
        securityContext: { runAsNonRoot: true, runAsUser: 101, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [
          {
            name: 'solver',
            image: this.#o.image ?? 'nginxinc/nginx-unprivileged:1.27-alpine',
            ports: [{ containerPort: 8080 }],
            readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
            resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            volumeMounts: [
              { name: 'tokens', mountPath: '/usr/share/nginx/html/.well-known/acme-challenge', readOnly: true },
              { name: 'tmp', mountPath: '/tmp' },
            ],
          },
        ],
        volumes: [{ name: 'tokens', configMap: { name: this.id } }, { name: 'tmp', emptyDir: {} }],
      },
    });
    const sleep = this.#o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const deadline = Date.now() + (this.#o.podReadyTimeoutMs ?? readyTimeoutMs);
    for (;;) {
      const pod = await kube.get<{ status?: { conditions?: { type: string; status: string }[]; phase?: string } }>(kpath(R.pods, { namespace, name: this.id }));
      if (pod?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) return;
      if (Date.now() > deadline) {
        throw new ExternalServiceError(`the solver Pod ${namespace}/${this.id} did not become ready (phase ${pod?.status?.phase ?? 'unknown'})`, {
          hint: `check \`kubectl -n ${namespace} describe pod ${this.id}\` (image pull, scheduling, admission policies), or use --standalone / --challenge dns01`,
        });
      }
      await sleep(1000);
    }
  }

  async selfCheck(task: ChallengeTask, options: { timeoutMs: number }): Promise<void> {
    this.#backend ??= this.#ensureBackend(options.timeoutMs);
    await this.#backend;
    await waitForHttp01({
      domain: task.domain,
      token: task.token,
      keyAuthorization: task.keyAuthorization,
      port: this.#o.checkPort ?? 80,
      timeoutMs: options.timeoutMs,
      ...(this.#o.resolve ? { resolve: this.#o.resolve } : {}),
    });
  }

  async cleanup(task: ChallengeTask): Promise<void> {
    const name = this.#routes.get(task.token);
    if (!name) return;
    const ns = this.#o.namespace;
    if (await this.#o.kube.delete(this.#o.ingressClass ? kpath(R.ingresses, { namespace: ns, name }) : resourcePath({ ...HTTPROUTES, namespace: ns, name }))) {
      this.removed.push(`${this.#o.ingressClass ? 'Ingress' : 'HTTPRoute'} ${ns}/${name}`);
    }
    this.#routes.delete(task.token);
  }

  /** Removes everything carrying this order's label, whatever happened before. */
  async close(): Promise<void> {
    const { kube, namespace } = this.#o;
    const selector = `${SOLVER_LABEL}=${this.id}`;
    const kinds = [
      { ref: R.pods, kind: 'Pod' },
      { ref: R.services, kind: 'Service' },
      { ref: R.configmaps, kind: 'ConfigMap' },
      this.#o.ingressClass ? { ref: R.ingresses, kind: 'Ingress' } : { ref: HTTPROUTES, kind: 'HTTPRoute' },
    ];
    for (const { ref, kind } of kinds) {
      const items = await kube.list<{ metadata: { name: string } }>(resourcePath({ ...ref, namespace }), { query: { labelSelector: selector } });
      for (const item of items) {
        if (await kube.delete(resourcePath({ ...ref, namespace, name: item.metadata.name }))) this.removed.push(`${kind} ${namespace}/${item.metadata.name}`);
      }
    }
  }
}
