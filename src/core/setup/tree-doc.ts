// Renders the decision tree as Markdown for docs/decision-tree.md, so the doc and the wizard
// share one source (src/core/setup/decision-tree.test.ts fails when they drift).
import type { SetupFacts } from './answers.js';
import { DECISION_TREE } from './decision-tree.js';

/** Facts under which every choice is shown enabled, for documentation. */
const ALL_ENABLED: SetupFacts = {
  certManager: { installed: true, version: 'v1.18.0' },
  trustManager: true,
  ingressClasses: ['<ingress class>'],
  defaultIngressClass: '<ingress class>',
  gatewayApi: true,
  gateways: [],
  cloud: null,
  targets: [{ ref: '<kind/name>', why: 'detected workload' }],
};

export function decisionTreeMarkdown(): string {
  const lines: string[] = [
    '# Setup decision tree',
    '',
    '<!-- Generated from src/core/setup/decision-tree.ts by `npm run docs:gen`. Do not edit by hand. -->',
    '',
    '`kubectl vibectl-tls setup` asks these questions in this order, skipping those that do not apply.',
    'Every question has a flag, so a script answers them all up front (`--non-interactive`, or any',
    'run without a TTY); the wizard preselects what it detected in the cluster. Esc goes back one',
    'question; Ctrl+C leaves without changing anything.',
    '',
    'In short:',
    '',
    '- **Who connects?** Public clients → a public CA (Let\'s Encrypt — staging first, then',
    '  production — ZeroSSL or Google Trust Services with EAB, any other ACME server) or the cloud\'s',
    '  managed certificates (ACM on EKS, Google-managed on GKE, Key Vault on AKS). Internal clients →',
    '  a private CA, created here or imported, or one cert-manager owns (selfSigned → CA bootstrap).',
    '- **Who renews?** cert-manager when it is installed; otherwise the built-in path with a CronJob.',
    '- **Challenge** (ACME only): HTTP-01 through an ingress class or Gateway, or DNS-01 through a DNS',
    '  provider. Wildcards force DNS-01.',
    '- **Key, profile, HSTS**: ECDSA P-256, Mozilla intermediate and HSTS (public names) by default.',
    '- **Delivery**: the Secret name, the workload to wire, and where clients get the CA to trust.',
    '',
    '| # | question | flag | asked when | choices (default first where one is preselected) |',
    '|---:|---|---|---|---|',
  ];
  DECISION_TREE.forEach((node, i) => {
    let choices: string;
    if (node.kind === 'select') {
      const all = node.choices({ audience: 'both', issuer: 'cloud', challenge: 'http01' }, ALL_ENABLED);
      const values = node.id === 'provider' ? ['eks', 'gke', 'aks'] : node.id === 'ingressClass' ? ['the cluster\'s IngressClasses'] : node.id === 'target' ? ['detected workloads', 'none'] : all.map((c) => `\`${c.value}\``);
      if (node.id === 'issuer') {
        values.push('`private-ca`', '`selfsigned-bootstrap`');
      }
      choices = [...new Set(values)].join(', ');
    } else {
      choices = `text, e.g. \`${node.placeholder}\`${node.list ? ' (comma-separated)' : ''}`;
    }
    const cell = (t: string) => t.replace(/\|/g, '\\|');
    lines.push(`| ${i + 1} | ${cell(node.title)}<br><small>${cell(node.why)}</small> | \`${cell(node.flag)}\` | ${cell(node.askedWhen)} | ${cell(choices)} |`);
  });
  lines.push(
    '',
    'Questions marked optional below take their preselected default in non-interactive runs; the',
    'others must be given as flags, and a run that lacks them fails at once (exit 2) listing them:',
    '',
    ...DECISION_TREE.map((n) => `- \`${n.id}\` (${n.flag.split(' ')[0]}): ${'optional' in n && n.optional ? 'optional' : 'required when asked'}`),
    '',
  );
  return lines.join('\n');
}
