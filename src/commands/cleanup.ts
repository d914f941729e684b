import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { parseDuration } from '../core/util/duration.js';

export default class Cleanup extends BaseCommand {
  static override summary = 'Remove what an interrupted run left behind (ACME HTTP-01 solver objects)';
  static override description =
    'Lists the Pods, Services, ConfigMaps, Ingresses and HTTPRoutes labelled vibectl-tls.io/acme-solver that are older than --older-than (an order may still be running on younger ones) and deletes them with --yes. Without --yes it only lists them.';
  static override examples = ['kubectl vibectl-tls cleanup -A', 'kubectl vibectl-tls cleanup -n shop --older-than 1h --yes'];
  static override flags = {
    'all-namespaces': Flags.boolean({ char: 'A', description: 'look in every namespace' }),
    'older-than': Flags.string({ description: 'only objects at least this old', default: '10m' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Cleanup);
    const env = this.env(flags);
    const olderThanMs = parseDuration(flags['older-than'], '--older-than');
    const [{ openKube }, { findLeftovers }] = await Promise.all([import('../services/kube.js'), import('../services/cleanup.js')]);
    const kube = await openKube(env.kube);
    const namespace = flags['all-namespaces'] ? undefined : (flags.namespace ?? kube.target.namespace);
    let apply = env.yes;
    if (!apply && env.interactive) {
      const found = await findLeftovers({ kube, namespace, olderThanMs, apply: false });
      if (found.leftovers.length > 0) {
        const { renderConfirm, isBack } = await import('../ui/render.js');
        const answer = await renderConfirm({ title: `Delete ${found.leftovers.length} leftover object(s)?`, flags: ['--yes'], default: false });
        apply = !isBack(answer) && answer;
      }
    }
    const report = await findLeftovers({ kube, namespace, olderThanMs, apply });
    await this.emit(report, () => {
      if (report.leftovers.length === 0) return `nothing left behind${namespace ? ` in namespace ${namespace}` : ''}${report.skipped.length ? ` (skipped: ${report.skipped.join('; ')})` : ''}`;
      const lines = report.leftovers.map((l) => `${l.deleted ? 'deleted' : apply ? 'gone    ' : 'found  '} ${l.kind} ${l.namespace}/${l.name} (order ${l.order}, ${l.ageSeconds}s old)`);
      if (!apply) lines.push('pass --yes to delete them');
      return lines.join('\n');
    });
  }
}
