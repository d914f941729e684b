import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { caFlags, caStoreFrom } from '../../cli/ca-options.js';
import { listCa } from '../../services/ca.js';
import { listText } from '../../ui/text/ca.js';

export default class CaList extends BaseCommand {
  static override summary = 'List the CA certificates and every certificate the CA issued';
  static override examples = ['kubectl vibectl-tls ca list', 'kubectl vibectl-tls ca list --all -o json'];
  static override flags = {
    ...caFlags,
    all: Flags.boolean({ description: 'include certificates replaced by a later issue of the same name' }),
    days: Flags.integer({ description: '"Expiring soon" threshold in days', default: 30, min: 0 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(CaList);
    const env = this.env(flags);
    const result = await listCa({ store: await caStoreFrom(flags, env), all: flags.all, days: flags.days });
    await this.emit(result, () => listText(result, env.color));
  }
}
