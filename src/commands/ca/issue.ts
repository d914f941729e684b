import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { caFlags, caStoreFrom, passphraseFrom } from '../../cli/ca-options.js';
import { UsageError } from '../../core/errors.js';
import { KEY_ALGORITHMS, parseKeyAlgorithm } from '../../core/pki/keys.js';
import { fileNameFor } from '../../core/pki/names.js';
import { parseDuration } from '../../core/util/duration.js';
import { issueCertificates } from '../../services/ca.js';
import { deliverTlsSecret, wireInitContainer, wireSecretIntoWorkload, type WireResult } from '../../services/ca-deliver.js';
import { openKube } from '../../services/kube.js';
import { issueText } from '../../ui/text/ca.js';

export default class CaIssue extends BaseCommand {
  static override summary = 'Issue server (default) or client certificates from the private CA';
  static override description =
    'Each NAME becomes one certificate (its CN and, for servers, its first SAN); --san adds names to every certificate. Files: <out>/<name>.crt (leaf + intermediate), <name>.key (0600), ca.crt (trust bundle). With --secret the certificate goes to a kubernetes.io/tls Secret (tls.crt = chain, tls.key, ca.crt) in -n; --target also mounts it into a workload. --init-container instead makes the workload issue its own certificate at pod start from the intermediate kept in a Secret.';
  static override strict = false;
  static override examples = [
    'kubectl vibectl-tls ca issue api.example.com --san api.internal --san 10.0.0.5',
    'kubectl vibectl-tls ca issue alice --client --out ./clients',
    'kubectl vibectl-tls ca issue vibectl-server.llm.svc --san vibectl-server -n llm --secret vibectl-server-tls --target deployment/vibectl-server',
    'kubectl vibectl-tls ca issue --init-container --target deployment/vibectl-server --service vibectl-server -n llm',
  ];
  static override args = { name: Args.string({ description: 'certificate name(s): a host name or IP for servers, an identity for clients' }) };
  static override flags = {
    ...caFlags,
    san: Flags.string({ description: 'extra subject alternative name, DNS name or IP (repeatable)', multiple: true }),
    client: Flags.boolean({ description: 'client certificate (EKU clientAuth) instead of server' }),
    'key-algorithm': Flags.string({ description: 'key type', options: [...KEY_ALGORITHMS], default: 'ecdsa-p256' }),
    validity: Flags.string({ description: 'lifetime (max 397d)', default: '90d' }),
    out: Flags.string({ description: 'directory for the files (default: <ca-dir>/leaves; none with --secret unless given)' }),
    secret: Flags.string({ description: 'also deliver as this kubernetes.io/tls Secret (namespace -n); one NAME only' }),
    target: Flags.string({ description: 'wire the Secret into KIND/NAME (deployment, statefulset, daemonset)' }),
    container: Flags.string({ description: 'container of --target that reads the certificate' }),
    'mount-path': Flags.string({ description: 'where the certificate is mounted (default /etc/vibectl-server/tls for vibectl-server)' }),
    'init-container': Flags.boolean({ description: 'with --target and --service: issue the pod certificate at pod start from the CA in a Secret' }),
    service: Flags.string({ description: 'with --init-container: the Service whose DNS names go into the SANs' }),
    'init-image': Flags.string({ description: 'with --init-container: image with sh + openssl' }),
    'dry-run': Flags.boolean({ description: 'cluster writes as server-side dry run' }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(CaIssue);
    const env = this.env(flags);
    const names = argv as string[];
    const store = await caStoreFrom(flags, env);
    if (flags['init-container']) {
      if (!flags.target || !flags.service) throw new UsageError('--init-container needs --target KIND/NAME and --service NAME');
      const kube = await openKube(env.kube);
      const wired = await wireInitContainer({
        kube,
        store,
        namespace: flags.namespace ?? kube.target.namespace,
        target: flags.target,
        service: flags.service,
        image: flags['init-image'],
        container: flags.container,
        mountPath: flags['mount-path'],
        passphrase: passphraseFrom(flags),
        dryRun: flags['dry-run'],
      });
      await this.emit({ initContainer: wired }, () => wiredText(wired));
      return;
    }
    if (flags.target && !flags.secret) throw new UsageError('--target needs --secret NAME (the Secret to mount)', { hint: 'or use --init-container --service NAME' });
    if (flags.secret && names.length !== 1) throw new UsageError('--secret takes exactly one certificate NAME');
    const kube = flags.secret ? await openKube(env.kube) : undefined;
    const namespace = flags.namespace ?? kube?.target.namespace ?? 'default';
    const result = await issueCertificates({
      store,
      names,
      sans: flags.san,
      client: flags.client,
      keyAlgorithm: parseKeyAlgorithm(flags['key-algorithm']),
      validityMs: parseDuration(flags.validity, '--validity'),
      outDir: flags.out,
      // Delivered to a Secret: keep no local copy of the key unless --out asks for one.
      noFiles: Boolean(flags.secret) && !flags.out,
      passphrase: passphraseFrom(flags),
      deliver: kube
        ? (leaf) => deliverTlsSecret({ kube, namespace, name: flags.secret ?? fileNameFor(leaf.entry.name), chainPem: leaf.chainPem, keyPem: leaf.keyPem, caPem: leaf.bundlePem, serial: leaf.entry.serial, dryRun: flags['dry-run'] })
        : undefined,
    });
    let wired: WireResult | undefined;
    if (kube && flags.target && flags.secret) {
      wired = await wireSecretIntoWorkload({
        kube,
        namespace,
        target: flags.target,
        secretName: flags.secret,
        container: flags.container,
        mountPath: flags['mount-path'],
        rolloutToken: result.issued[0]?.serial,
        dryRun: flags['dry-run'],
      });
    }
    await this.emit({ location: result.location, issued: result.issued, ...(wired ? { wired } : {}) }, () => issueText(result, env.color) + (wired ? '\n' + wiredText(wired) : ''));
  }
}

function wiredText(w: WireResult & { issuerSecret?: string }): string {
  const lines = [`✔ ${w.workload}: container ${w.container} reads ${w.files.cert} and ${w.files.key}`];
  if (w.issuerSecret) lines.push(`  init container issues the pod certificate from Secret ${w.issuerSecret}`);
  if (w.serverConfig) {
    lines.push(
      w.serverConfig.configMap
        ? `  vibectl-server config updated in ConfigMap ${w.serverConfig.configMap} (tls.cert_file, tls.key_file, tls.ca_bundle_file)`
        : `  set in the vibectl-server config: tls.enabled: true, tls.cert_file: ${w.files.cert}, tls.key_file: ${w.files.key}`,
    );
  }
  return lines.join('\n');
}
