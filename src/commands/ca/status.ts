import { Flags } from '@oclif/core';
import { BaseCommand, ExitCode } from '../../cli/base-command.js';
import { caFlags, caStoreFrom } from '../../cli/ca-options.js';
import { caStatus } from '../../services/ca.js';
import { statusText } from '../../ui/text/ca.js';

export default class CaStatus extends BaseCommand {
  static override summary = 'Health of every CA certificate: Valid, Expiring soon, Expired or Revoked';
  static override description = `Exit code ${ExitCode.ChecksFailed} when any current certificate (the root, the intermediate, the latest of each issued name) is Expired, Expiring soon (within --days) or Revoked; 0 otherwise.`;
  static override examples = ['kubectl vibectl-tls ca status', 'kubectl vibectl-tls ca status --days 14 -o json'];
  static override flags = {
    ...caFlags,
    days: Flags.integer({ description: '"Expiring soon" threshold in days', default: 30, min: 0 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(CaStatus);
    const env = this.env(flags);
    const result = await caStatus({ store: await caStoreFrom(flags, env), days: flags.days });
    await this.emit(result, () => statusText(result, env.color));
    if (!result.ok) this.exit(ExitCode.ChecksFailed);
  }
}
