import { readFileSync } from 'node:fs';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { caFlags, caStoreFrom, passphraseFrom } from '../../cli/ca-options.js';
import { InvalidInputError } from '../../core/errors.js';
import { importCa } from '../../services/ca.js';
import { initText } from '../../ui/text/ca.js';

export default class CaImport extends BaseCommand {
  static override summary = 'Bring an existing CA: its root certificate (and optionally key) and an intermediate with its key';
  static override description =
    'Checks that the intermediate was signed by the root and that each key matches its certificate before writing anything. Without --root-key the CA can issue and revoke, but not rotate.';
  static override examples = ['kubectl vibectl-tls ca import --root-cert root.pem --root-key root.key --intermediate-cert int.pem --intermediate-key int.key'];
  static override flags = {
    ...caFlags,
    'root-cert': Flags.string({ description: 'root certificate (PEM or DER)', required: true }),
    'root-key': Flags.string({ description: 'root private key (PEM)' }),
    'intermediate-cert': Flags.string({ description: 'intermediate certificate (PEM or DER)', required: true }),
    'intermediate-key': Flags.string({ description: 'intermediate private key (PEM)', required: true }),
    force: Flags.boolean({ description: 'replace an existing CA (after backing it up)' }),
    'include-root-key': Flags.boolean({ description: 'with --store cluster: also upload the root key' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(CaImport);
    const env = this.env(flags);
    const result = await importCa({
      store: await caStoreFrom(flags, env, { includeRootKey: flags['include-root-key'] }),
      rootCertPem: read(flags['root-cert'], '--root-cert', true),
      rootKeyPem: flags['root-key'] ? read(flags['root-key'], '--root-key') : undefined,
      intermediateCertPem: read(flags['intermediate-cert'], '--intermediate-cert', true),
      intermediateKeyPem: read(flags['intermediate-key'], '--intermediate-key'),
      passphrase: passphraseFrom(flags),
      force: flags.force,
    });
    await this.emit(result, () => initText(result, env.color).replace('CA created', 'CA imported'));
  }
}

function read(file: string, flag: string): string;
function read(file: string, flag: string, binary: true): Buffer;
function read(file: string, flag: string, binary = false): string | Buffer {
  try {
    return binary ? readFileSync(file) : readFileSync(file, 'utf8');
  } catch (err) {
    throw new InvalidInputError(`cannot read ${flag} ${file}: ${(err as Error).message}`);
  }
}
