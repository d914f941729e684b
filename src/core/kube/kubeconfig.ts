// Loads the user's kubeconfig the way kubectl does: --kubeconfig, else KUBECONFIG (multi-file,
// merged), else ~/.kube/config, else in-cluster. Auth (client certs, tokens, exec credential
// plugins) is handled by @kubernetes/client-node, which is imported lazily to keep --help fast.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { ClusterUnreachableError, InvalidInputError, UsageError } from '../errors.js';

export interface KubeConfigOptions {
  kubeconfig?: string | undefined;
  context?: string | undefined;
  namespace?: string | undefined;
  /** Environment to read KUBECONFIG from (defaults to process.env). */
  env?: NodeJS.ProcessEnv;
}

export type AuthMethod = 'client-certificate' | 'token' | 'exec' | 'auth-provider' | 'basic' | 'in-cluster' | 'none';

export interface KubeTarget {
  kc: KubeConfig;
  contextName: string;
  clusterName: string;
  server: string;
  namespace: string;
  authMethod: AuthMethod;
  /** Exec plugin command, when authMethod is exec (e.g. aws, gke-gcloud-auth-plugin, kubelogin). */
  execCommand?: string | undefined;
}

export async function loadKubeConfig(options: KubeConfigOptions = {}): Promise<KubeTarget> {
  const env = options.env ?? process.env;
  // Say "no kubeconfig" before paying ~1 s to import the Kubernetes client.
  if (!options.kubeconfig && !env.KUBECONFIG && !existsSync(join(homedir(), '.kube', 'config')) && !env.KUBERNETES_SERVICE_HOST) {
    throw new ClusterUnreachableError('no kubeconfig found ($KUBECONFIG is unset, ~/.kube/config does not exist, not running in a pod)', {
      hint: 'pass --kubeconfig PATH or set KUBECONFIG',
    });
  }
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  try {
    if (options.kubeconfig) {
      kc.loadFromFile(options.kubeconfig);
    } else if (env.KUBECONFIG) {
      const files = env.KUBECONFIG.split(process.platform === 'win32' ? ';' : ':').filter(Boolean);
      // Merge like kubectl: the first file that sets current-context wins.
      kc.loadFromFile(files[0]!);
      for (const file of files.slice(1)) {
        const next = new KubeConfig();
        next.loadFromFile(file);
        // kubectl's rule: the first file to define a name (or current-context) wins.
        for (const c of next.clusters) if (!kc.getCluster(c.name)) kc.addCluster(c);
        for (const u of next.users) if (!kc.getUser(u.name)) kc.addUser(u);
        for (const c of next.contexts) if (!kc.getContextObject(c.name)) kc.addContext(c);
        if (!kc.getCurrentContext()) kc.setCurrentContext(next.getCurrentContext());
      }
    } else if (existsSync(join(homedir(), '.kube', 'config'))) {
      kc.loadFromDefault();
    } else if (env.KUBERNETES_SERVICE_HOST) {
      kc.loadFromCluster();
    } else {
      throw new ClusterUnreachableError('no kubeconfig found ($KUBECONFIG is unset, ~/.kube/config does not exist, not running in a pod)', {
        hint: 'pass --kubeconfig PATH or set KUBECONFIG',
      });
    }
  } catch (err) {
    if (err instanceof ClusterUnreachableError) throw err;
    const where = options.kubeconfig ?? env.KUBECONFIG ?? '~/.kube/config';
    // client-node dereferences the parsed document blindly: an empty file surfaces as a TypeError.
    const why = err instanceof TypeError ? 'it is empty or not a kubeconfig (no clusters, users or contexts)' : firstLine(err);
    throw new InvalidInputError(`cannot read kubeconfig ${where}: ${why}`, {
      hint: 'check the file (kubectl config view) or pass --kubeconfig PATH',
      cause: err,
    });
  }

  if (options.context) {
    if (!kc.getContextObject(options.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new UsageError(`context "${options.context}" is not in the kubeconfig`, {
        hint: known.length ? `use one of: ${known.join(', ')}` : 'the kubeconfig has no contexts',
      });
    }
    kc.setCurrentContext(options.context);
  }

  const contextName = kc.getCurrentContext();
  const context = kc.getContextObject(contextName);
  const cluster = kc.getCurrentCluster();
  if (contextName && !context) {
    const known = kc.getContexts().map((c) => c.name);
    throw new UsageError(`current-context "${contextName}" is not in the kubeconfig`, {
      hint: known.length ? `pass --context with one of: ${known.join(', ')}` : 'the kubeconfig has no contexts; check it with `kubectl config view`',
    });
  }
  if (context && !cluster) {
    throw new InvalidInputError(`context "${contextName}" refers to cluster "${context.cluster}", which the kubeconfig does not define`, {
      hint: 'check the clusters of the kubeconfig (kubectl config view)',
    });
  }
  if (cluster && !isUrl(cluster.server)) {
    throw new InvalidInputError(`cluster "${cluster.name}" has server "${cluster.server}", which is not an https:// URL`, {
      hint: 'fix clusters[].cluster.server in the kubeconfig (kubectl config set-cluster NAME --server https://HOST:PORT)',
    });
  }
  if (!context || !cluster) {
    throw new ClusterUnreachableError('no current Kubernetes context is configured', {
      hint: 'set one with `kubectl config use-context NAME`, or pass --kubeconfig / --context',
    });
  }
  const user = kc.getCurrentUser();
  let authMethod: AuthMethod = 'none';
  let execCommand: string | undefined;
  if (contextName === 'inClusterContext' || user?.name === 'inClusterUser') authMethod = 'in-cluster';
  else if (user?.exec) {
    authMethod = 'exec';
    execCommand = String(user.exec.command ?? '');
  } else if (user?.authProvider) authMethod = 'auth-provider';
  else if (user?.certData || user?.certFile) authMethod = 'client-certificate';
  else if (user?.token) authMethod = 'token';
  else if (user?.username) authMethod = 'basic';

  return {
    kc,
    contextName,
    clusterName: cluster.name,
    server: cluster.server,
    namespace: options.namespace ?? context.namespace ?? 'default',
    authMethod,
    execCommand,
  };
}

function isUrl(s: string | undefined): boolean {
  if (!s) return false;
  try {
    return ['https:', 'http:'].includes(new URL(s).protocol);
  } catch {
    return false;
  }
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0] ?? msg;
}
