import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { MissingInputError } from '../core/errors.js';
import { answersFromFlags } from '../core/setup/flags.js';
import { colorEnabled, palette } from '../ui/colors.js';

const list = (values: string[]) => ({ options: values });

export default class Setup extends BaseCommand {
  static override summary = 'Provision a certificate that works and renews: wizard on a TTY, flags in scripts';
  static override description =
    'Reads the cluster context, walks the decision tree of docs/decision-tree.md (public CA, private CA or cloud-managed; who renews; challenge; key and TLS profile; delivery), shows the plan with a diff against the cluster, applies it, and runs doctor on the result. Every question has a flag; without a TTY, missing answers fail at once and name the flags to add. The same command run twice changes nothing the second time.';
  static override examples = [
    'kubectl vibectl-tls setup',
    'kubectl vibectl-tls setup --issuer private-ca --domain api.internal.example.com --target deployment/vibectl-server --yes',
    'kubectl vibectl-tls setup --issuer letsencrypt-staging --domain app.example.com --email ops@example.com --challenge http01 --ingress-class nginx --dry-run -o yaml',
  ];
  static override flags = {
    audience: Flags.string({ description: 'who connects: public internet, internal clients, or both', ...list(['public', 'internal', 'both']) }),
    issuer: Flags.string({ description: 'certificate authority', ...list(['letsencrypt', 'letsencrypt-staging', 'zerossl', 'google', 'acme', 'private-ca', 'selfsigned-bootstrap']) }),
    provider: Flags.string({ description: 'cloud path: ACM on EKS, Google-managed on GKE, Key Vault on AKS, private CA on-prem', ...list(['eks', 'gke', 'aks', 'onprem']) }),
    via: Flags.string({ description: 'who issues and renews', ...list(['cert-manager', 'built-in']) }),
    domain: Flags.string({ description: 'DNS name for the certificate (repeatable)', multiple: true }),
    email: Flags.string({ description: 'ACME account contact' }),
    challenge: Flags.string({ description: 'ACME challenge', ...list(['http01', 'dns01']) }),
    'ingress-class': Flags.string({ description: 'IngressClass that serves HTTP-01' }),
    gateway: Flags.string({ description: 'Gateway NS/NAME that serves HTTP-01' }),
    'dns-provider': Flags.string({ description: 'DNS-01 provider', ...list(['rfc2136', 'route53', 'cloudflare', 'clouddns', 'azuredns']) }),
    'dns-resolver': Flags.string({ description: 'resolver HOST:PORT used to find the zone\'s authoritative servers (built-in DNS-01 self-check)', helpGroup: 'DNS' }),
    'rfc2136-server': Flags.string({ description: 'RFC2136 server HOST:PORT', helpGroup: 'DNS' }),
    'tsig-key-name': Flags.string({ description: 'TSIG key name', helpGroup: 'DNS' }),
    'tsig-algorithm': Flags.string({ description: 'TSIG algorithm', ...list(['hmac-sha256', 'hmac-sha512']), helpGroup: 'DNS' }),
    'tsig-secret-file': Flags.string({ description: 'file holding the base64 TSIG secret', helpGroup: 'DNS' }),
    'route53-hosted-zone-id': Flags.string({ description: 'Route53 hosted zone ID', helpGroup: 'DNS' }),
    'aws-region': Flags.string({ description: 'AWS region', helpGroup: 'DNS' }),
    'cloudflare-api-token-file': Flags.string({ description: 'file holding the Cloudflare API token', helpGroup: 'DNS' }),
    'gcp-project': Flags.string({ description: 'Google Cloud project of the DNS zone', helpGroup: 'DNS' }),
    'azure-subscription-id': Flags.string({ description: 'Azure subscription of the DNS zone', helpGroup: 'DNS' }),
    'azure-resource-group': Flags.string({ description: 'Azure resource group of the DNS zone', helpGroup: 'DNS' }),
    'azure-zone': Flags.string({ description: 'Azure DNS zone name', helpGroup: 'DNS' }),
    'acme-server': Flags.string({ description: 'ACME directory URL (with --issuer acme)', helpGroup: 'ACME' }),
    'acme-ca-bundle': Flags.string({ description: 'PEM bundle trusted for the ACME server only', helpGroup: 'ACME' }),
    'acme-profile': Flags.string({ description: 'ACME profile, when the CA offers profiles', ...list(['classic', 'tlsserver', 'shortlived']), helpGroup: 'ACME' }),
    'eab-kid': Flags.string({ description: 'External Account Binding key ID', helpGroup: 'ACME' }),
    'eab-hmac-key-file': Flags.string({ description: 'file holding the EAB HMAC key', helpGroup: 'ACME' }),
    'ca-dir': Flags.string({ description: 'private CA directory to use or create' }),
    target: Flags.string({ description: 'workload that serves TLS: deployment/NAME, statefulset/NAME, or none' }),
    'secret-name': Flags.string({ description: 'name of the kubernetes.io/tls Secret' }),
    'key-algorithm': Flags.string({ description: 'key algorithm', ...list(['ecdsa-p256', 'ecdsa-p384', 'rsa-2048', 'rsa-3072', 'rsa-4096']) }),
    'tls-profile': Flags.string({ description: 'Mozilla TLS profile', ...list(['intermediate', 'modern']) }),
    hsts: Flags.boolean({ description: 'send Strict-Transport-Security (max-age 2 years, includeSubDomains)', allowNo: true }),
    'trust-output': Flags.string({ description: 'where clients get the CA (repeatable)', multiple: true, ...list(['pem', 'pkcs12', 'configmap', 'bundle']) }),
    'acm-certificate-arn': Flags.string({ description: 'ACM certificate for the ALB (EKS)', helpGroup: 'CLOUD' }),
    'keyvault-uri': Flags.string({ description: 'Key Vault certificate URI (AKS)', helpGroup: 'CLOUD' }),
    'azure-tenant-id': Flags.string({ description: 'Azure tenant of the Key Vault (AKS)', helpGroup: 'CLOUD' }),
    'azure-client-id': Flags.string({ description: 'client ID of the identity that reads the Key Vault (AKS)', helpGroup: 'CLOUD' }),
    'gcp-ssl-policy': Flags.string({ description: 'GCP SSL policy for the FrontendConfig (GKE)', helpGroup: 'CLOUD' }),
    'renew-image': Flags.string({ description: 'image of the renewal CronJob (built-in ACME path)', helpGroup: 'ACME' }),
    'dry-run': Flags.boolean({ description: 'print the plan (-o yaml: the manifests, -o json: the plan) and change nothing; works without a cluster' }),
    'print-rbac': Flags.boolean({ description: 'print the ClusterRole setup needs and exit' }),
    'skip-doctor': Flags.boolean({ description: 'do not run doctor on the result' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Setup);
    const env = this.env(flags);
    const setup = await import('../services/setup-run.js');
    if (flags['print-rbac']) {
      const rbac = setup.setupRbac();
      const { stringify } = await import('yaml');
      await this.emit(rbac, () => stringify(rbac));
      return;
    }
    const result = await setup.runSetup(
      {
        answers: answersFromFlags(flags),
        namespace: flags.namespace,
        context: flags.context,
        kube: env.kube,
        dryRun: flags['dry-run'],
        skipDoctor: flags['skip-doctor'],
        dns: {
          dnsResolver: flags['dns-resolver'],
          rfc2136Server: flags['rfc2136-server'],
          tsigKeyName: flags['tsig-key-name'],
          tsigAlgorithm: flags['tsig-algorithm'] as 'hmac-sha256' | 'hmac-sha512' | undefined,
          route53HostedZoneId: flags['route53-hosted-zone-id'],
          awsRegion: flags['aws-region'],
          gcpProject: flags['gcp-project'],
          azureSubscriptionId: flags['azure-subscription-id'],
          azureResourceGroup: flags['azure-resource-group'],
          azureZone: flags['azure-zone'],
        },
        secretFiles: {
          eabHmacKey: flags['eab-hmac-key-file'],
          tsigSecret: flags['tsig-secret-file'],
          cloudflareApiToken: flags['cloudflare-api-token-file'],
          acmeCaBundlePem: flags['acme-ca-bundle'],
        },
        azure: flags['azure-tenant-id'] && flags['azure-client-id'] ? { tenantId: flags['azure-tenant-id'], clientId: flags['azure-client-id'] } : undefined,
        gcpSslPolicy: flags['gcp-ssl-policy'],
        renewImage: flags['renew-image'],
      },
      {
        wizard: async (o) => (await import('../ui/setup.js')).renderSetupWizard({ ...o, nonInteractive: !env.interactive, noColor: !env.colorOn }),
        canPrompt: env.interactive,
        showPlan: async (plan) => {
          process.stderr.write((await import('../ui/text/setup.js')).setupPlanText(plan, palette(colorEnabled({ noColor: !env.colorOn, stream: process.stderr }))) + '\n');
        },
        confirm: async (question) => {
          if (env.yes) return true;
          if (!env.interactive) throw new MissingInputError('confirmation to apply the plan', ['--yes (or --dry-run to only print it)']);
          const { renderConfirm, isBack } = await import('../ui/render.js');
          const answer = await renderConfirm({ title: question, flags: ['--yes'], default: true });
          return !isBack(answer) && answer;
        },
        tasks: async (tasks) => (await import('../ui/render.js')).renderTasks(tasks, { noColor: !env.colorOn }),
        info: (m) => this.info(m),
      },
    );
    if (flags['dry-run'] && env.output === 'yaml') {
      const { toYamlDocuments } = await import('../core/manifests/yaml.js');
      // The private-CA and built-in ACME paths make their Secret at apply time (it holds a fresh key):
      // say so rather than print an empty stream that looks like "nothing to do".
      if (result.plan.objects.length === 0) this.info('no manifests to print: this path builds its objects when it applies (the Secret holds a key made then); -o json shows the plan');
      process.stdout.write(await toYamlDocuments(result.plan.objects));
      return;
    }
    const text = await import('../ui/text/setup.js');
    await this.emit(result, () => text.setupResultText(result, env.color));
    if (!result.ok) this.exit(result.exitCode);
  }
}
