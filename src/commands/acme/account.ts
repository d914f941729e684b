import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { acmeServerFlags } from '../../cli/acme-flags.js';
import { UsageError } from '../../core/errors.js';
import { manageAccount } from '../../services/acme.js';
import { openKube } from '../../services/kube.js';
import { acmeAccountText } from '../../ui/text/acme.js';
import { renderConfirm } from '../../ui/render.js';

export default class AcmeAccount extends BaseCommand {
  static override summary = 'Show or deactivate the saved ACME account';
  static override description =
    'The account is created by the first `acme issue` for a CA and saved (local: ~/.config/vibectl-tls/acme/<hash>/account.json, 0600; with --cluster: a Secret in -n). `show` asks the CA for its current state; `deactivate` deactivates it at the CA (irreversible) and forgets it.';
  static override examples = [
    'kubectl vibectl-tls acme account',
    'kubectl vibectl-tls acme account show --acme-server letsencrypt-staging -o json',
    'kubectl vibectl-tls acme account deactivate --acme-server letsencrypt-staging -y',
  ];
  static override args = { action: Args.string({ description: 'show | deactivate', options: ['show', 'deactivate'], default: 'show' }) };
  static override flags = {
    ...acmeServerFlags,
    cluster: Flags.boolean({ description: 'the account saved as a Secret in the cluster (-n) instead of locally' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(AcmeAccount);
    const env = this.env(flags);
    const action = args.action as 'show' | 'deactivate';
    if (action === 'deactivate' && !env.yes) {
      if (!env.interactive) throw new UsageError('deactivating an ACME account cannot be undone', { hint: 'pass -y to confirm' });
      const ok = await renderConfirm({ title: `Deactivate the ACME account at ${flags['acme-server']}? This cannot be undone.`, default: false, flags: ['-y'] });
      if (ok !== true) return;
    }
    const report = await manageAccount(
      { acmeServer: flags['acme-server'], caBundleFile: flags['acme-ca-bundle'], cluster: flags.cluster, action },
      { kube: () => openKube(env.kube), namespace: flags.namespace, log: (m) => this.info(m) },
    );
    await this.emit(report, () => acmeAccountText(report, env.color));
  }
}
