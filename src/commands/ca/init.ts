import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { caFlags, caStoreFrom, passphraseFrom } from '../../cli/ca-options.js';
import { parseKeyAlgorithm, KEY_ALGORITHMS } from '../../core/pki/keys.js';
import { parseDuration } from '../../core/util/duration.js';
import { initCa } from '../../services/ca.js';
import { initText } from '../../ui/text/ca.js';

export default class CaInit extends BaseCommand {
  static override summary = 'Create a private CA: a root (10 y, pathLen 1) and an issuing intermediate (5 y, pathLen 0)';
  static override description =
    'Keys are ECDSA P-256 unless --key-algorithm says otherwise; key files are 0600 in a 0700 directory. An existing CA is never replaced without --force, and then it is backed up first. With --passphrase-file (or VIBECTL_TLS_CA_PASSPHRASE) the CA keys are encrypted at rest.';
  static override examples = [
    'kubectl vibectl-tls ca init',
    'kubectl vibectl-tls ca init --ca-dir ./ca --key-algorithm ecdsa-p384 --name-constraint example.com --name-constraint 10.0.0.0/8',
    'kubectl vibectl-tls ca init --store cluster -n vibectl-tls-system',
  ];
  static override flags = {
    ...caFlags,
    'common-name': Flags.string({ description: 'name prefix of the CA certificates', default: 'vibectl-tls' }),
    organization: Flags.string({ description: 'O= of the CA certificates', default: 'vibectl-tls' }),
    'key-algorithm': Flags.string({ description: 'key type of the root and intermediate', options: [...KEY_ALGORITHMS], default: 'ecdsa-p256' }),
    'root-validity': Flags.string({ description: 'root lifetime', default: '10y' }),
    'intermediate-validity': Flags.string({ description: 'intermediate lifetime', default: '5y' }),
    'name-constraint': Flags.string({ description: 'permitted DNS suffix or CIDR for the intermediate (repeatable)', multiple: true }),
    'crl-url': Flags.string({ description: 'URL where you will publish crl.pem (added to issued certificates)' }),
    force: Flags.boolean({ description: 'replace an existing CA (after backing it up)' }),
    'include-root-key': Flags.boolean({ description: 'with --store cluster: also upload the root key (default: it stays in --ca-dir)' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(CaInit);
    const env = this.env(flags);
    const store = await caStoreFrom(flags, env, { includeRootKey: flags['include-root-key'] });
    const result = await initCa({
      store,
      commonName: flags['common-name'],
      organization: flags.organization,
      keyAlgorithm: parseKeyAlgorithm(flags['key-algorithm']),
      rootValidityMs: parseDuration(flags['root-validity'], '--root-validity'),
      intermediateValidityMs: parseDuration(flags['intermediate-validity'], '--intermediate-validity'),
      nameConstraints: flags['name-constraint'],
      crlUrl: flags['crl-url'],
      force: flags.force,
      passphrase: passphraseFrom(flags),
    });
    await this.emit(result, () => initText(result, env.color));
  }
}
