import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { caFlags, caStoreFrom } from '../../cli/ca-options.js';
import { InvalidInputError, UsageError } from '../../core/errors.js';
import { writeFileAtomic } from '../../core/pki/ca-store.js';
import { EXPORT_FORMATS, exportCa, type ExportFormat } from '../../services/ca-export.js';
import { openKube } from '../../services/kube.js';

export default class CaExport extends BaseCommand {
  static override summary = 'Export the trust bundle (root + intermediate): PEM, PKCS#12 trust store, ConfigMap, trust-manager Bundle, or the CRL';
  static override description =
    'Never exports a private key. The PKCS#12 trust store holds certificates only; its password (default "changeit") comes from --password-file or VIBECTL_TLS_P12_PASSWORD. --apply writes the ConfigMap (namespace -n) or the Bundle (needs trust-manager) to the cluster.';
  static override examples = [
    'kubectl vibectl-tls ca export --out ca-bundle.pem',
    'kubectl vibectl-tls ca export --format pkcs12 --out truststore.p12',
    'kubectl vibectl-tls ca export --format configmap -n apps --apply',
    'kubectl vibectl-tls ca export --format bundle --apply',
  ];
  static override flags = {
    ...caFlags,
    format: Flags.string({ description: 'what to export', options: [...EXPORT_FORMATS], default: 'pem' }),
    out: Flags.string({ description: 'file to write (default: stdout, text formats only)' }),
    'password-file': Flags.string({ description: 'PKCS#12 password file (default password: changeit)' }),
    name: Flags.string({ description: 'ConfigMap / Bundle name', default: 'vibectl-tls-ca-bundle' }),
    apply: Flags.boolean({ description: 'apply the ConfigMap or Bundle to the cluster (server-side apply)' }),
    'dry-run': Flags.boolean({ description: 'with --apply: server-side dry run' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(CaExport);
    const env = this.env(flags);
    const format = flags.format as ExportFormat;
    if (flags.apply && format !== 'configmap' && format !== 'bundle') throw new UsageError('--apply only works with --format configmap or bundle');
    const password = flags['password-file'] ? readPassword(flags['password-file']) : process.env.VIBECTL_TLS_P12_PASSWORD || undefined;
    const kube = flags.apply ? await openKube(env.kube) : undefined;
    const result = await exportCa({
      store: await caStoreFrom(flags, env),
      format,
      password,
      namespace: flags.namespace ?? kube?.target.namespace,
      name: flags.name,
      kube,
      dryRun: flags['dry-run'],
    });
    if (flags.out) {
      await writeFileAtomic(resolve(flags.out), result.content, 0o644);
      this.info(`wrote ${format} to ${flags.out}`);
      if (env.output !== 'text' && !result.applied) await this.emit({ format, out: resolve(flags.out), bytes: result.content.length }, () => '');
    } else if (result.binary) {
      throw new UsageError(`--format ${format} is binary`, { hint: 'pass --out FILE' });
    } else if (!result.applied) {
      process.stdout.write(result.content);
    }
    if (result.applied) {
      const where = result.applied.namespace ? `${result.applied.namespace}/${result.applied.name}` : result.applied.name;
      if (env.output === 'text') this.info(`applied ${result.applied.kind} ${where}${flags['dry-run'] ? ' (dry run)' : ''}`);
      else await this.emit({ applied: result.applied }, () => '');
    }
  }
}

function readPassword(file: string): string {
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    throw new InvalidInputError(`cannot read --password-file ${file}: ${(err as Error).message}`);
  }
}
