// A small Kubernetes REST client: one request path with a hard timeout, list paging, server-side
// apply and dry-run, and errors mapped to the tool's error model. Authentication and TLS come from
// @kubernetes/client-node's KubeConfig (client certs, tokens, exec credential plugins).
import http from 'node:http';
import https from 'node:https';
import type { KubeTarget } from './kubeconfig.js';
import { ClusterUnreachableError, ExitCode, TlsError, UnauthorizedError } from '../errors.js';

export const FIELD_MANAGER = 'vibectl-tls';

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
    uid?: string;
    creationTimestamp?: string;
    ownerReferences?: Array<{ kind: string; name: string; uid?: string; apiVersion?: string }>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface KubeList<T = KubeObject> {
  items: T[];
  metadata?: { continue?: string; resourceVersion?: string };
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  /** Accept header, e.g. for PartialObjectMetadataList. */
  accept?: string;
  /** Overrides the client's default timeout for this call. */
  timeoutMs?: number;
}

/** The API server answered with a Status; keeps the HTTP code and reason for callers that branch on them. */
export class KubeApiError extends TlsError {
  readonly status: number;
  readonly reason: string | undefined;
  readonly details: unknown;
  constructor(kind: string, exitCode: (typeof ExitCode)[keyof typeof ExitCode], status: number, message: string, reason?: string, details?: unknown, hint?: string) {
    super(kind, exitCode, message, hint === undefined ? {} : { hint });
    this.status = status;
    this.reason = reason;
    this.details = details;
  }
}

export interface ListOptions {
  limit?: number;
  query?: Record<string, string | undefined>;
  /** Ask for metadata only (PartialObjectMetadataList): no Secret data crosses the wire. */
  metadataOnly?: boolean;
}

const METADATA_ONLY = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

export class KubeClient {
  readonly target: KubeTarget;
  readonly timeoutMs: number;
  readonly #server: URL;

  constructor(target: KubeTarget, options: { timeoutMs?: number } = {}) {
    this.target = target;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.#server = new URL(target.server);
  }

  async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const url = new URL(this.#server.pathname.replace(/\/$/, '') + path, this.#server);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const reqOpts: https.RequestOptions = {
      method,
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || (url.protocol === 'https:' ? 443 : 80),
      path: url.pathname + url.search,
      headers: { Accept: options.accept ?? 'application/json', 'User-Agent': 'kubectl-vibectl_tls' },
    };
    try {
      await this.target.kc.applyToHTTPSOptions(reqOpts);
    } catch (err) {
      throw new UnauthorizedError(`cannot get credentials for context ${this.target.contextName}: ${oneLine(err)}`, {
        hint: this.target.execCommand
          ? `check that the credential plugin "${this.target.execCommand}" is installed and logged in`
          : 'check the user entry of this context in your kubeconfig',
        cause: err,
      });
    }
    let payload: Buffer | undefined;
    if (options.body !== undefined) {
      payload = Buffer.from(typeof options.body === 'string' ? options.body : JSON.stringify(options.body));
      reqOpts.headers = { ...reqOpts.headers, 'Content-Type': options.contentType ?? 'application/json', 'Content-Length': payload.length };
    }
    const transport = url.protocol === 'https:' ? https : http;
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = transport.request(reqOpts as http.RequestOptions, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      // A deadline for the whole request, as kubectl's --request-timeout is. req.setTimeout is an
      // idle timer, and over TLS to a silent server it fired only after twice the timeout.
      const deadline = setTimeout(() => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
      req.on('close', () => clearTimeout(deadline));
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    }).catch((err: unknown) => {
      throw new ClusterUnreachableError(`cannot reach the Kubernetes API at ${this.target.server} (context ${this.target.contextName}): ${oneLine(err)}`, {
        hint: 'check the cluster is up and the context is right (kubectl cluster-info), or raise --request-timeout',
        cause: err,
      });
    });
    if (status >= 200 && status < 300) return (body ? JSON.parse(body) : undefined) as T;
    throw this.#statusError(method, path, status, body);
  }

  #statusError(method: string, path: string, status: number, body: string): KubeApiError {
    let message = body.trim().slice(0, 300) || `HTTP ${status}`;
    let reason: string | undefined;
    let details: unknown;
    try {
      const parsed = JSON.parse(body) as { message?: string; reason?: string; details?: unknown };
      message = parsed.message ?? message;
      reason = parsed.reason;
      details = parsed.details;
    } catch {
      // not a Status object; keep the raw text
    }
    const what = `${method} ${path}`;
    if (status === 401)
      return new KubeApiError('unauthorized', ExitCode.Unauthorized, status, `the API server rejected our credentials (${what}): ${message}`, reason, details, 'log in again or refresh the credentials of this context');
    if (status === 403)
      return new KubeApiError('forbidden', ExitCode.Unauthorized, status, message, reason, details, 'ask for the permission above, or run `--print-rbac` to see what this command needs');
    if (status === 404) return new KubeApiError('not-found', ExitCode.InvalidInput, status, message, reason, details);
    if (status === 409) return new KubeApiError('conflict', ExitCode.Conflict, status, message, reason, details, 'another writer changed the object; run the command again');
    if (status === 422 || status === 400)
      return new KubeApiError('invalid', ExitCode.InvalidInput, status, `the API server refused ${what}: ${message}`, reason, details);
    // Server-side apply answers 500 when the body has a field the schema lacks: that is our input.
    if (status === 500 && /failed to create typed patch object|field not declared in schema/.test(message))
      return new KubeApiError('invalid', ExitCode.InvalidInput, status, `the API server refused ${what}: ${message}`, reason, details);
    return new KubeApiError('api-error', ExitCode.ClusterUnreachable, status, `the API server answered ${status} to ${what}: ${message}`, reason, details);
  }

  /** GET that returns null on 404 instead of throwing. */
  async get<T = KubeObject>(path: string, options?: RequestOptions): Promise<T | null> {
    try {
      return await this.request<T>('GET', path, options);
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 404) return null;
      throw err;
    }
  }

  /** Pages through a list (limit/continue) so thousands of objects never sit in memory at once. */
  async *listPages<T = KubeObject>(path: string, options: ListOptions = {}): AsyncGenerator<T[]> {
    let cont: string | undefined;
    do {
      const page = await this.request<KubeList<T>>('GET', path, {
        query: { ...options.query, limit: options.limit ?? 500, continue: cont },
        ...(options.metadataOnly ? { accept: METADATA_ONLY } : {}),
      });
      yield page.items ?? [];
      cont = page.metadata?.continue || undefined;
    } while (cont);
  }

  async list<T = KubeObject>(path: string, options?: ListOptions): Promise<T[]> {
    const all: T[] = [];
    for await (const page of this.listPages<T>(path, options)) all.push(...page);
    return all;
  }

  async create<T = KubeObject>(path: string, body: KubeObject, options: { dryRun?: boolean } = {}): Promise<T> {
    return this.request<T>('POST', path, { body, query: { dryRun: options.dryRun ? 'All' : undefined, fieldManager: FIELD_MANAGER } });
  }

  /** Server-side apply with our field manager. */
  async apply<T = KubeObject>(path: string, body: KubeObject, options: { dryRun?: boolean; force?: boolean } = {}): Promise<T> {
    return this.request<T>('PATCH', path, {
      body,
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager: FIELD_MANAGER, force: options.force ?? true, dryRun: options.dryRun ? 'All' : undefined },
    });
  }

  async replace<T = KubeObject>(path: string, body: KubeObject): Promise<T> {
    return this.request<T>('PUT', path, { body, query: { fieldManager: FIELD_MANAGER } });
  }

  async delete(path: string): Promise<boolean> {
    try {
      await this.request('DELETE', path);
      return true;
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 404) return false;
      throw err;
    }
  }

  /** Can the current user do `verb` on `resource`? (SelfSubjectAccessReview) */
  async can(attrs: { verb: string; resource: string; group?: string; namespace?: string; name?: string }): Promise<boolean> {
    const review = await this.request<{ status?: { allowed?: boolean } }>('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: { verb: attrs.verb, resource: attrs.resource, group: attrs.group ?? '', namespace: attrs.namespace, name: attrs.name } },
      },
    });
    return review.status?.allowed === true;
  }
}

export function isForbidden(err: unknown): boolean {
  return err instanceof KubeApiError && err.status === 403;
}

export function isNotFound(err: unknown): boolean {
  return err instanceof KubeApiError && err.status === 404;
}

function oneLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return (msg.split('\n')[0] ?? msg).trim();
}
