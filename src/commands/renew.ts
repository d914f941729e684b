import { Flags } from '@oclif/core';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BaseCommand } from '../cli/base-command.js';
import { withInterrupt } from '../cli/interrupt.js';
import { ExitCode } from '../core/errors.js';
import { openKube } from '../services/kube.js';
import { renewAll } from '../services/renew.js';
import { renewText } from '../ui/text/acme.js';

export default class Renew extends BaseCommand {
  static override summary = 'Renew every ACME certificate vibectl-tls manages that is due; do nothing otherwise';
  static override description =
    "Checks local outputs of `acme issue --out` and managed Secrets (in -n, or every namespace with --all). A certificate is due inside the CA's ARI window (RFC 9773) when the CA offers ARI, otherwise when one third of its lifetime remains (one half for lifetimes of 10 days or less). Renewal orders tell the CA which certificate they replace. Safe to run from cron: exit 0 when nothing failed.";
  static override examples = ['kubectl vibectl-tls renew', 'kubectl vibectl-tls renew --all --dry-run', 'kubectl vibectl-tls renew -o json'];
  static override flags = {
    all: Flags.boolean({ description: 'managed Secrets in every namespace, not just -n' }),
    'dry-run': Flags.boolean({ description: 'say what would be renewed; order nothing' }),
    force: Flags.boolean({ description: 'renew even what is not due yet' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Renew);
    const env = this.env(flags);
    const report = await withInterrupt((signal) => renewAll(
      { allNamespaces: flags.all, dryRun: flags['dry-run'], force: flags.force },
      {
        // Local-only users have no cluster: look at Secrets only when a cluster is configured or asked for.
        ...(clusterConfigured(flags) ? { kube: () => openKube(env.kube) } : {}),
        namespace: flags.namespace,
        log: (m) => this.info(m),
        signal,
      },
    ), { info: (m) => this.info(m) });
    for (const w of report.warnings) this.info(`warning: ${w}`);
    await this.emit(report, () => renewText(report, env.color));
    if (report.failed > 0) this.exit(ExitCode.ExternalService);
  }
}

function clusterConfigured(flags: { kubeconfig?: string | undefined; context?: string | undefined; namespace?: string | undefined; all?: boolean }): boolean {
  return Boolean(flags.kubeconfig || flags.context || flags.namespace || flags.all || process.env.KUBECONFIG || existsSync(join(homedir(), '.kube', 'config')));
}
