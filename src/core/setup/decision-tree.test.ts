import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SetupAnswers, SetupFacts } from './answers.js';
import { DECISION_TREE, defaultSecretName, fillDefaults, missingRequired, nextNode, setAnswer } from './decision-tree.js';
import { decisionTreeMarkdown } from './tree-doc.js';

const bare: SetupFacts = { certManager: { installed: false }, trustManager: false, ingressClasses: [], gatewayApi: false, gateways: [], cloud: 'none', targets: [] };
const withCm: SetupFacts = { ...bare, certManager: { installed: true, version: 'v1.21.2' }, ingressClasses: ['nginx'], defaultIngressClass: 'nginx', targets: [{ ref: 'deployment/vibectl-server', why: 'label' }] };

/** Walks the tree answering each question with `pick(node)` (or the preselect), returning the ids asked. */
function walk(facts: SetupFacts, pick: Record<string, string>): { asked: string[]; answers: SetupAnswers } {
  let a: SetupAnswers = {};
  const asked: string[] = [];
  for (let node = nextNode(a, facts); node; node = nextNode(a, facts)) {
    asked.push(node.id);
    const value = pick[node.id] ?? node.preselect(a, facts);
    expect(value, `no answer for ${node.id}`).toBeDefined();
    a = setAnswer(a, node, value!);
    expect(asked.length).toBeLessThan(40);
  }
  return { asked, answers: a };
}

describe('decision tree', () => {
  it('walks the private-CA path for an internal service without asking ACME questions', () => {
    const { asked, answers } = walk(withCm, { audience: 'internal', via: 'built-in', domains: 'vibectl.internal.example.net' });
    expect(asked).toEqual(['audience', 'issuer', 'caMode', 'via', 'domains', 'caDir', 'target', 'secretName', 'keyAlgorithm', 'tlsProfile', 'trustOutputs']);
    expect(answers.issuer).toBe('private-ca');
    expect(asked).not.toContain('email');
    expect(asked).not.toContain('challenge');
    expect(answers.secretName).toBe('vibectl-tls');
    expect(answers.target).toBe('deployment/vibectl-server');
  });

  it('forces DNS-01 for wildcards and asks for the DNS provider', () => {
    const { asked, answers } = walk(bare, { audience: 'public', issuer: 'letsencrypt-staging', domains: '*.apps.example.net', email: 'ops@corp.example.net' });
    expect(answers.challenge).toBe('dns01');
    expect(asked).toContain('dnsProvider');
    expect(asked).not.toContain('ingressClass');
    const challenge = DECISION_TREE.find((n) => n.id === 'challenge')!;
    if (challenge.kind !== 'select') throw new Error('challenge is a select');
    expect(challenge.choices(answers, bare).find((c) => c.value === 'http01')?.disabled).toMatch(/wildcard/);
  });

  it('asks for EAB only for CAs that need it', () => {
    expect(walk(bare, { audience: 'public', issuer: 'zerossl', domains: 'a.example.net', email: 'a@corp.example.net', eabKid: 'k', eabHmacKeyFile: '/tmp/x', challenge: 'dns01' }).asked).toEqual(
      expect.arrayContaining(['eabKid', 'eabHmacKeyFile']),
    );
    expect(walk(bare, { audience: 'public', issuer: 'letsencrypt', domains: 'a.example.net', email: 'a@corp.example.net', challenge: 'dns01' }).asked).not.toContain('eabKid');
  });

  it('disables cert-manager and the cloud path when the cluster lacks them', () => {
    const via = DECISION_TREE.find((n) => n.id === 'via')!;
    const issuer = DECISION_TREE.find((n) => n.id === 'issuer')!;
    if (via.kind !== 'select' || issuer.kind !== 'select') throw new Error('select nodes');
    expect(via.choices({}, bare).find((c) => c.value === 'cert-manager')?.disabled).toMatch(/not installed/);
    expect(via.preselect({}, bare)).toBe('built-in');
    expect(via.preselect({}, withCm)).toBe('cert-manager');
    expect(issuer.choices({ audience: 'public' }, bare).find((c) => c.value === 'cloud')?.disabled).toBeTruthy();
    expect(issuer.choices({ audience: 'public' }, { ...bare, cloud: 'aws' }).find((c) => c.value === 'cloud')?.disabled).toBeUndefined();
  });

  it('lists exactly the required answers a non-interactive run lacks', () => {
    expect(missingRequired({}, bare).map((n) => n.id)).toEqual(['issuer', 'domains']);
    const acme = missingRequired({ issuer: 'letsencrypt', domains: ['a.example.net'] }, bare).map((n) => n.flag.split(' ')[0]);
    expect(acme).toEqual(['--email', '--challenge']);
    expect(missingRequired({ issuer: 'private-ca', domains: ['a.internal.example.net'] }, bare)).toEqual([]);
    const filled = fillDefaults({ issuer: 'private-ca', domains: ['a.internal.example.net'] }, bare);
    expect(filled).toMatchObject({ audience: 'internal', via: 'built-in', keyAlgorithm: 'ecdsa-p256', tlsProfile: 'intermediate', secretName: 'a-tls', trustOutputs: ['configmap'] });
  });

  it('validates typed answers inline', () => {
    const domains = DECISION_TREE.find((n) => n.id === 'domains')!;
    const email = DECISION_TREE.find((n) => n.id === 'email')!;
    if (domains.kind !== 'text' || email.kind !== 'text') throw new Error('text nodes');
    expect(domains.validate('app.example.net, www.example.net', {})).toBeUndefined();
    expect(domains.validate('bücher.example.net', {})).toBeUndefined();
    expect(domains.validate('', {})).toMatch(/at least one/);
    expect(domains.validate('app..example.net', {})).toBeDefined();
    expect(domains.validate('a.*.example.net', {})).toMatch(/wildcard/);
    expect(domains.validate('-bad.example.net', {})).toMatch(/label/);
    expect(email.validate('not-an-email', {})).toMatch(/not an email/);
    expect(email.validate('me@example.com', {})).toMatch(/reserved/);
  });

  it('derives a Secret name from the first domain', () => {
    expect(defaultSecretName(['api.example.net'])).toBe('api-tls');
    expect(defaultSecretName(['*.apps.example.net'])).toBe('wildcard-tls');
    expect(defaultSecretName([])).toBeUndefined();
  });

  it('docs/decision-tree.md is generated from this tree (run `npm run docs:gen` after changing it)', () => {
    const doc = readFileSync(new URL('../../../docs/decision-tree.md', import.meta.url), 'utf8');
    expect(doc).toBe(decisionTreeMarkdown());
    for (const node of DECISION_TREE) expect(doc).toContain(node.title);
  });
});
