import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { describeContext } from '../services/context.js';
import { openKube } from '../services/kube.js';
import { contextText } from '../ui/text/context.js';

export default class Context extends BaseCommand {
  static override summary = 'Show the cluster facts that setup and doctor build on';
  static override description =
    'Context, server, auth method, Kubernetes version, cert-manager and trust-manager, Gateway API, ingress classes, Prometheus Operator, cloud provider, TLS Secrets and vibectl-server workloads. A fact the current user may not read is shown as unknown, with the reason.';
  static override examples = ['kubectl vibectl-tls context', 'kubectl vibectl-tls context -A -o json'];
  static override flags = {
    'all-namespaces': Flags.boolean({ char: 'A', description: 'count Secrets and look for workloads in every namespace' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Context);
    const env = this.env(flags);
    const facts = await describeContext({ kube: await openKube(env.kube), allNamespaces: flags['all-namespaces'] });
    await this.emit(facts, () => contextText(facts, env.color));
  }
}
