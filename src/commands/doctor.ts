import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { ExitCode, UsageError } from '../core/errors.js';
import { parseDuration } from '../core/util/duration.js';

export default class Doctor extends BaseCommand {
  static override summary = 'Check TLS Secrets and live endpoints, and say what to fix';
  static override description =
    'Runs checks with stable codes (CLU1xx cluster and RBAC, CM1xx cert-manager and issuers, CRT1xx Certificates, ING1xx Ingress/Gateway TLS, CLD1xx cloud paths (AWS ALB, GKE managed certificates, Azure Key Vault), SEC1xx Secrets, TLS1xx endpoints, TRU1xx client trust, GRPC1xx vibectl-server, CT1xx Certificate Transparency with --ct) and prints ✔ / ‼ / ✖ lines with hints; every code has a section in docs/troubleshooting.md. Exit 0 when clean, 1 when checks found errors (or warnings with --fail-on warning), 5 when RBAC kept it from reading what it was asked to check, 7 when the --ct search did not answer, 8 when doctor could not run.';
  static override examples = [
    'kubectl vibectl-tls doctor',
    'kubectl vibectl-tls doctor --endpoint app.example.com:443',
    'kubectl vibectl-tls doctor --endpoint 127.0.0.1:8443/app.example.com --ca-bundle ca.pem -o json',
    'kubectl vibectl-tls doctor --ingress web --wait 2m',
    'kubectl vibectl-tls doctor --certificate web-tls -n shop',
    'kubectl vibectl-tls doctor --inventory -A',
    `kubectl vibectl-tls doctor --ct example.com --ct-expected-issuer "Let's Encrypt" --days 14`,
  ];
  static override flags = {
    endpoint: Flags.string({ description: 'scan a live endpoint HOST:PORT[/SNI] (grpc:// prefix for vibectl-server)', multiple: true }),
    certificate: Flags.string({ description: 'check this cert-manager Certificate: its issuer, Requests, Orders, Challenges (with events) and its Secret' }),
    ingress: Flags.string({ description: 'check this Ingress: its TLS Secrets and its served certificates' }),
    secret: Flags.string({ description: 'check this kubernetes.io/tls Secret' }),
    target: Flags.string({ description: 'check a workload (deployment/NAME: mounted TLS Secrets) or service/NAME (its load-balancer ports)' }),
    inventory: Flags.boolean({ description: 'list every TLS Secret with issuer, names and expiry, soonest first' }),
    days: Flags.integer({ description: 'warn about certificates expiring within this many days', default: 30, min: 0 }),
    profile: Flags.string({ description: 'Mozilla TLS profile to grade against', options: ['intermediate', 'modern'], default: 'intermediate' }),
    'ca-bundle': Flags.string({ description: 'the CA bundle clients trust (PEM FILE, configmap/NAME[:KEY] or bundle/NAME): check that it verifies the endpoints' }),
    wait: Flags.string({ description: 'run again until clean or this much time has passed (e.g. 2m)' }),
    'fail-on': Flags.string({ description: 'lowest finding that makes the exit code non-zero', options: ['warning', 'error'], default: 'error' }),
    'print-rbac': Flags.boolean({ description: 'print the ClusterRole doctor needs and exit' }),
    'all-namespaces': Flags.boolean({ char: 'A', description: 'look at Secrets in every namespace' }),
    ct: Flags.string({ description: 'list certificates Certificate Transparency logs show for DOMAIN and its subdomains ("*.DOMAIN": subdomains only); flag unexpected issuers', multiple: true }),
    'ct-url': Flags.string({ description: 'crt.sh-compatible JSON search to ask (default https://crt.sh/)' }),
    'ct-expected-issuer': Flags.string({ description: "a CA the domain's certificates may come from (substring of the issuer DN, e.g. \"Let's Encrypt\"); added to those the cluster uses", multiple: true }),
    'ct-timeout': Flags.string({ description: 'give up on the CT search after this long, retries included (default 2m)' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Doctor);
    const env = this.env(flags);
    const doctor = await import('../services/doctor.js');
    if (flags['print-rbac']) {
      const rbac = doctor.doctorRbac();
      const { stringify } = await import('yaml');
      await this.emit(rbac, () => stringify(rbac));
      return;
    }
    const { openKube } = await import('../services/kube.js');
    const kube = () => openKube(env.kube);
    const text = await import('../ui/text/doctor.js');
    if (flags.inventory) {
      const report = await doctor.runInventory({ kube, namespace: flags.namespace, allNamespaces: flags['all-namespaces'] });
      await this.emit(report, () => text.inventoryText(report, env.color));
      return;
    }
    if (flags.wait !== undefined && flags.wait.trim() === '') throw new UsageError('--wait needs a duration', { hint: 'for example --wait 2m' });
    if (!flags.ct?.length && (flags['ct-url'] || flags['ct-expected-issuer'] || flags['ct-timeout'])) throw new UsageError('--ct-url, --ct-expected-issuer and --ct-timeout need --ct DOMAIN', { hint: 'for example --ct example.com' });
    const report = await doctor.runDoctor({
      kube,
      namespace: flags.namespace,
      allNamespaces: flags['all-namespaces'],
      endpoints: flags.endpoint ?? [],
      certificate: flags.certificate,
      ingress: flags.ingress,
      secret: flags.secret,
      target: flags.target,
      days: flags.days,
      profile: flags.profile as 'intermediate' | 'modern',
      caBundleFile: flags['ca-bundle'],
      waitMs: flags.wait ? parseDuration(flags.wait, '--wait') : 0,
      failOn: flags['fail-on'] as 'warning' | 'error',
      onProgress: (m) => this.trace(m),
      ct: flags.ct?.length
        ? { domains: flags.ct, url: flags['ct-url'], expectedIssuers: flags['ct-expected-issuer'], deadlineMs: flags['ct-timeout'] ? parseDuration(flags['ct-timeout'], '--ct-timeout') : undefined, onProgress: (m) => this.info(m) }
        : undefined,
    });
    await this.emit(report, () => text.doctorText(report, env.color));
    if (!report.success) this.exit(ExitCode.ChecksFailed);
    // Nothing failed, but RBAC kept doctor from reading something it was asked to check.
    if (report.forbidden?.length) this.exit(ExitCode.Unauthorized);
  }
}
