import { Args, Flags } from '@oclif/core';
import { resolve } from 'node:path';
import { BaseCommand } from '../../cli/base-command.js';
import { withInterrupt } from '../../cli/interrupt.js';
import { acmeServerFlags, dnsProviderFlags, keyAlgorithmFlag, providerFlagValues } from '../../cli/acme-flags.js';
import type { KeyAlgorithm } from '../../core/acme/keys.js';
import { parseDuration } from '../../core/util/duration.js';
import { issueCertificate } from '../../services/acme.js';
import { openKube } from '../../services/kube.js';
import { acmeIssueText } from '../../ui/text/acme.js';

export default class AcmeIssue extends BaseCommand {
  static override summary = 'Get a certificate from an ACME CA (Let\'s Encrypt, ZeroSSL, Google, or any ACME server)';
  static override description =
    'Creates the ACME account once and reuses it, answers HTTP-01 itself (--standalone) or through a temporary solver Pod behind an Ingress or Gateway (--ingress-class / --gateway, removed afterwards), or DNS-01 through a DNS provider, checks the answer is visible before asking the CA to validate, and writes the certificate with its key: files in --out DIR (key 0600) or one kubernetes.io/tls Secret (--secret NAME). Wildcards need DNS-01.';
  static override examples = [
    'kubectl vibectl-tls acme issue app.example.com --email ops@example.com --standalone --http-port 80 --out ./tls',
    'kubectl vibectl-tls acme issue "*.example.com" example.com --challenge dns01 --dns-provider cloudflare --cloudflare-api-token-file token --secret web-tls -n web',
    'kubectl vibectl-tls acme issue app.example.com --email ops@example.com --ingress-class nginx --secret app-tls -n web',
    'kubectl vibectl-tls acme issue app.example.com --acme-server zerossl --eab-kid KID --eab-hmac-key-file eab.key --standalone --out ./tls',
  ];
  static override strict = false;
  static override args = { names: Args.string({ description: 'DNS names for the certificate (the first is the CN)', required: true }) };
  static override flags = {
    email: Flags.string({ description: 'contact address for the ACME account (expiry notices)' }),
    ...acmeServerFlags,
    'eab-kid': Flags.string({ description: 'External Account Binding key id (ZeroSSL, Google Trust Services, …)' }),
    'eab-hmac-key-file': Flags.string({ description: 'file with the EAB HMAC key (or $VIBECTL_TLS_EAB_HMAC_KEY)' }),
    challenge: Flags.string({ description: 'challenge type', options: ['http01', 'dns01'], default: 'http01' }),
    standalone: Flags.boolean({ description: 'HTTP-01: serve the challenge from this process' }),
    'http-port': Flags.integer({ description: 'HTTP-01 standalone: port to listen on', default: 80 }),
    'ingress-class': Flags.string({ description: 'HTTP-01 in the cluster: route the challenge through an Ingress of this class', exclusive: ['standalone', 'gateway'] }),
    gateway: Flags.string({ description: 'HTTP-01 in the cluster: attach an HTTPRoute to this Gateway (NS/NAME)', exclusive: ['standalone', 'ingress-class'] }),
    'solver-image': Flags.string({ description: 'HTTP-01 in the cluster: image of the temporary solver Pod', default: 'nginxinc/nginx-unprivileged:1.27-alpine' }),
    'challenge-port': Flags.integer({ description: 'HTTP-01: port the CA connects to, for the self-check', default: 80 }),
    ...dnsProviderFlags,
    'acme-profile': Flags.string({ description: 'certificate profile, when the CA offers profiles', options: ['classic', 'tlsserver', 'shortlived'] }),
    'key-algorithm': keyAlgorithmFlag,
    'self-check-timeout': Flags.string({ description: 'how long to wait for the challenge answer to be visible before asking the CA', default: '2m' }),
    out: Flags.string({ description: 'write tls.crt (chain) and tls.key (0600) to this directory', exclusive: ['secret'] }),
    secret: Flags.string({ description: 'write a kubernetes.io/tls Secret with this name (in -n)', exclusive: ['out'] }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(AcmeIssue);
    const env = this.env(flags);
    const report = await withInterrupt((signal) => issueCertificate(
      {
        names: argv as string[],
        email: flags.email,
        acmeServer: flags['acme-server'],
        caBundleFile: flags['acme-ca-bundle'],
        eabKid: flags['eab-kid'],
        eabHmacKeyFile: flags['eab-hmac-key-file'],
        challenge: flags.challenge as 'http01' | 'dns01',
        standalone: flags.standalone,
        ingressClass: flags['ingress-class'],
        gateway: flags.gateway,
        solverImage: flags['solver-image'],
        httpPort: flags['http-port'],
        challengePort: flags['challenge-port'],
        dnsResolver: flags['dns-resolver'],
        dnsProvider: flags['dns-provider'],
        providerFlags: Object.fromEntries(
          Object.entries(providerFlagValues(flags)).map(([k, v]) => [k, k.endsWith('-file') ? resolve(v) : v]),
        ),
        profile: flags['acme-profile'],
        keyAlgorithm: flags['key-algorithm'] as KeyAlgorithm,
        selfCheckTimeoutMs: parseDuration(flags['self-check-timeout'], '--self-check-timeout'),
        target: { out: flags.out, secret: flags.secret },
      },
      {
        kube: () => openKube(env.kube),
        namespace: flags.namespace,
        log: (m) => this.info(m),
        signal,
      },
    ), { info: (m) => this.info(m) });
    await this.emit(report, () => acmeIssueText(report, env.color));
  }
}
