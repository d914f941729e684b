import { readFileSync } from 'node:fs';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { InvalidInputError, UsageError } from '../../core/errors.js';
import { openKube } from '../../services/kube.js';
import { TRUST_EXPORT_FORMATS, exportTrust, type TrustExportFormat } from '../../services/trust-export.js';
import { checkClusterSpec, type TrustSource } from '../../services/trust-material.js';
import { trustExportText } from '../../ui/text/trust-material.js';

export default class TrustExport extends BaseCommand {
  static override summary = 'Write the CA certificates clients should trust: PEM, PKCS#12 or Java KeyStore, from the private CA or from the cluster';
  static override description =
    'Certificates only, never a key. The source is the private CA (--ca-dir, default the local CA) or what the cluster already distributes (--from configmap/NAME[:KEY], bundle/NAME for trust-manager, secret/NAME[:KEY] for a ca.crt). The trust store password (pkcs12, jks; default "changeit") comes from --password-file or VIBECTL_TLS_P12_PASSWORD. --out is written atomically and never replaced without --force. -o json prints what the bundle holds: subjects, SHA-256 fingerprints, expiry.';
  static override examples = [
    'kubectl vibectl-tls trust export --out ca-bundle.pem',
    'kubectl vibectl-tls trust export --from configmap/vibectl-tls-ca-bundle -n web --format pkcs12 --out truststore.p12',
    'kubectl vibectl-tls trust export --from secret/app-tls -n web --format jks --out truststore.jks --password-file store.pass',
    'kubectl vibectl-tls trust export --from bundle/vibectl-tls-ca-bundle -o json',
  ];
  static override flags = {
    'ca-dir': Flags.string({ description: 'private CA directory (reads bundle.pem, else root.crt; default $VIBECTL_TLS_CA_DIR, then ~/.config/vibectl-tls/ca)', exclusive: ['from'] }),
    from: Flags.string({ description: 'read the bundle from the cluster (in -n): configmap/NAME[:KEY], bundle/NAME or secret/NAME[:KEY] (key ca.crt)' }),
    format: Flags.string({ description: 'what to write', options: [...TRUST_EXPORT_FORMATS], default: 'pem' }),
    out: Flags.string({ description: 'file to write (default: stdout, pem only)' }),
    force: Flags.boolean({ description: 'replace --out if it exists' }),
    'password-file': Flags.string({ description: 'trust store password file for pkcs12/jks (default password: changeit)' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(TrustExport);
    const env = this.env(flags);
    const format = flags.format as TrustExportFormat;
    if (format !== 'pem' && !flags.out) throw new UsageError(`--format ${format} is binary`, { hint: 'pass --out FILE' });
    if (flags.from) checkClusterSpec(flags.from);
    const source: TrustSource = flags.from
      ? { kind: 'cluster', spec: flags.from, kube: () => openKube(env.kube), namespace: flags.namespace }
      : { kind: 'ca-dir', dir: flags['ca-dir'] };
    const password = flags['password-file'] ? readPassword(flags['password-file']) : process.env.VIBECTL_TLS_P12_PASSWORD || undefined;
    const { report, content } = await exportTrust({ source, format, password, out: flags.out, force: flags.force });
    if (report.out) {
      await this.emit(report, () => trustExportText(report, env.color));
    } else if (env.output === 'text') {
      process.stdout.write(content);
      this.info(trustExportText(report, env.color));
    } else {
      await this.emit({ ...report, pem: content.toString('utf8') }, () => '');
    }
  }
}

function readPassword(file: string): string {
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    throw new InvalidInputError(`cannot read --password-file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { hint: 'pass a readable file holding only the password' });
  }
}
