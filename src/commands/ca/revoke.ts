import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { caFlags, caStoreFrom, passphraseFrom } from '../../cli/ca-options.js';
import { REVOCATION_REASONS, type RevocationReason } from '../../core/pki/crl.js';
import { revokeCertificate } from '../../services/ca.js';
import { revokeText } from '../../ui/text/ca.js';

export default class CaRevoke extends BaseCommand {
  static override summary = 'Revoke a certificate this CA issued and publish a new CRL (crl.pem)';
  static override examples = ['kubectl vibectl-tls ca revoke api.example.com --reason keyCompromise', 'kubectl vibectl-tls ca revoke ./leaked.crt'];
  static override args = { ref: Args.string({ description: 'name, serial, or the certificate file', required: true }) };
  static override flags = {
    ...caFlags,
    reason: Flags.string({ description: 'CRL reason code', options: [...REVOCATION_REASONS], default: 'unspecified' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(CaRevoke);
    const env = this.env(flags);
    const result = await revokeCertificate({ store: await caStoreFrom(flags, env), ref: args.ref, reason: flags.reason as RevocationReason, passphrase: passphraseFrom(flags) });
    await this.emit({ revoked: result.revoked }, () => revokeText(result, env.color));
  }
}
