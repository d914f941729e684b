import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { openKube } from '../../services/kube.js';
import { trustSync, type CaSource } from '../../services/trust.js';
import { trustSyncText } from '../../ui/text/trust.js';

export default class TrustSync extends BaseCommand {
  static override summary = 'Copy the private CA bundle into a ConfigMap in each namespace, and keep the copies current';
  static override description =
    'For clusters without trust-manager. Writes ConfigMap vibectl-tls-ca-bundle (key ca.crt) with server-side apply, showing what changes first. Without --target-namespace or -A it refreshes every namespace that already has the bundle: run it after `ca rotate`.';
  static override examples = [
    'kubectl vibectl-tls trust sync --target-namespace web --target-namespace api',
    'kubectl vibectl-tls trust sync            # refresh every namespace that has the bundle',
    'kubectl vibectl-tls trust sync -A --dry-run',
    'kubectl vibectl-tls trust sync --ca-file ca.crt --target-namespace web --prune',
  ];
  static override flags = {
    'ca-dir': Flags.string({ description: 'CA directory (reads bundle.pem, else root.crt)', exclusive: ['ca-file'] }),
    'ca-file': Flags.string({ description: 'PEM file with the CA certificate(s) to distribute' }),
    'target-namespace': Flags.string({ description: 'namespace to receive the bundle (repeatable)', multiple: true }),
    'all-namespaces': Flags.boolean({ char: 'A', description: 'every namespace', exclusive: ['target-namespace'] }),
    bundle: Flags.string({ description: 'ConfigMap name', default: 'vibectl-tls-ca-bundle' }),
    key: Flags.string({ description: 'key inside the ConfigMap', default: 'ca.crt' }),
    prune: Flags.boolean({ description: 'remove the bundle from namespaces that hold it but were not named' }),
    'dry-run': Flags.boolean({ description: 'show what would change; write nothing' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(TrustSync);
    const env = this.env(flags);
    const ca: CaSource = flags['ca-file'] ? { file: flags['ca-file'] } : { dir: flags['ca-dir'] };
    const targets = flags['target-namespace'] ?? (flags.namespace ? [flags.namespace] : undefined);
    const result = await trustSync(await openKube(env.kube), {
      ca,
      bundle: flags.bundle,
      key: flags.key,
      namespaces: flags['all-namespaces'] ? 'all' : targets,
      prune: flags.prune,
      dryRun: flags['dry-run'],
    });
    await this.emit(result, () => trustSyncText(result, env.color));
  }
}
