import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { caFlags, caStoreFrom } from '../../cli/ca-options.js';
import { inspectCertificate } from '../../services/ca.js';
import { inspectText } from '../../ui/text/ca.js';

export default class CaInspect extends BaseCommand {
  static override summary = 'Show one certificate in detail: a name or serial this CA issued, root, intermediate, or a file';
  static override examples = ['kubectl vibectl-tls ca inspect api.example.com', 'kubectl vibectl-tls ca inspect root', 'kubectl vibectl-tls ca inspect ./server.crt -o json'];
  static override args = { ref: Args.string({ description: 'name, serial, root, intermediate, or a PEM/DER file', required: true }) };
  static override flags = { ...caFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(CaInspect);
    const env = this.env(flags);
    const result = await inspectCertificate({ store: await caStoreFrom(flags, env), ref: args.ref });
    await this.emit(result, () => inspectText(result, env.color));
  }
}
