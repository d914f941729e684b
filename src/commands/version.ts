import { BaseCommand } from '../cli/base-command.js';
import { versionReport } from '../services/version.js';
import { openKube } from '../services/kube.js';
import { versionText } from '../ui/text/version.js';

export default class Version extends BaseCommand {
  static override summary = 'Show the plugin, Node and (when reachable) Kubernetes versions';
  static override examples = ['kubectl vibectl-tls version', 'kubectl vibectl-tls version -o json'];

  async run(): Promise<void> {
    const { flags } = await this.parse(Version);
    const env = this.env(flags);
    const report = await versionReport({ openKube: () => openKube(env.kube) });
    await this.emit(report, () => versionText(report, env.color));
  }
}
