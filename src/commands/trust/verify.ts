import { Flags } from '@oclif/core';
import { BaseCommand, ExitCode } from '../../cli/base-command.js';
import { UsageError } from '../../core/errors.js';
import { parseDuration } from '../../core/util/duration.js';
import { openKube } from '../../services/kube.js';
import { checkClusterSpec, type TrustSource } from '../../services/trust-material.js';
import { verifyTrust } from '../../services/trust-verify.js';
import { trustVerifyText } from '../../ui/text/trust-material.js';

export default class TrustVerify extends BaseCommand {
  static override summary = 'Check that a client trusting only this CA bundle accepts each endpoint, or say exactly why not';
  static override description =
    'A real TLS handshake (TLS 1.2+, or 1.3 only with --tls13-only as vibectl\'s client does) trusting nothing but the bundle, then the verdict per endpoint: verified, or unknown-ca, incomplete-chain, expired, not-yet-valid, hostname-mismatch, wrong-purpose, handshake-failed, unreachable. Exit 0 when every endpoint verifies, 1 otherwise.';
  static override examples = [
    'kubectl vibectl-tls trust verify --ca-bundle ca-bundle.pem --endpoint api.corp.example.net:443',
    'kubectl vibectl-tls trust verify --from configmap/vibectl-tls-ca-bundle -n web --endpoint 10.0.0.7:8443/vibectl.example.com --tls13-only',
    'kubectl vibectl-tls trust verify --ca-dir ./ca --endpoint app.internal:443 --endpoint api.internal:443 -o json',
  ];
  static override flags = {
    'ca-bundle': Flags.string({ description: 'PEM (or DER) file with the CA certificates the client trusts', exclusive: ['from', 'ca-dir'] }),
    from: Flags.string({ description: 'the bundle from the cluster (in -n): configmap/NAME[:KEY], bundle/NAME or secret/NAME[:KEY]', exclusive: ['ca-dir'] }),
    'ca-dir': Flags.string({ description: 'the private CA directory (bundle.pem, else root.crt)' }),
    endpoint: Flags.string({ description: 'HOST:PORT[/SNI] to connect to (repeatable)', multiple: true, required: true }),
    'tls13-only': Flags.boolean({ description: 'offer TLS 1.3 only, like the vibectl client' }),
    timeout: Flags.string({ description: 'time allowed for each handshake', default: '10s' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(TrustVerify);
    const env = this.env(flags);
    if (!flags['ca-bundle'] && !flags.from && !flags['ca-dir']) {
      throw new UsageError('say which CA bundle the client trusts', { hint: 'pass --ca-bundle FILE, --from configmap/NAME[:KEY] (or bundle/NAME, secret/NAME), or --ca-dir DIR' });
    }
    if (flags.from) checkClusterSpec(flags.from);
    const source: TrustSource = flags['ca-bundle']
      ? { kind: 'file', file: flags['ca-bundle'] }
      : flags.from
        ? { kind: 'cluster', spec: flags.from, kube: () => openKube(env.kube), namespace: flags.namespace }
        : { kind: 'ca-dir', dir: flags['ca-dir'] };
    const report = await verifyTrust({ source, endpoints: flags.endpoint, tls13Only: flags['tls13-only'], timeoutMs: parseDuration(flags.timeout, '--timeout') });
    await this.emit(report, () => trustVerifyText(report, env.color));
    if (!report.success) this.exit(ExitCode.ChecksFailed);
  }
}
