import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import type { SetupAnswers, SetupFacts } from '../../core/setup/answers.js';
import { SetupWizard } from './SetupWizard.js';
import { keys, press, waitFor, waitForFrame } from '../../../test/support/frames.js';

afterEach(() => cleanup());

const facts: SetupFacts = {
  certManager: { installed: true, version: 'v1.21.2' },
  trustManager: false,
  ingressClasses: ['nginx', 'traefik'],
  defaultIngressClass: 'nginx',
  gatewayApi: false,
  gateways: [],
  cloud: 'none',
  targets: [{ ref: 'deployment/vibectl-server', why: 'label' }],
};

function start(initial: SetupAnswers = {}, f: SetupFacts = facts) {
  const onDone = vi.fn();
  const onInterrupt = vi.fn();
  const ui = render(<SetupWizard facts={f} header={[['context', 'sandbox'], ['cert-manager', 'v1.21.2']]} initial={initial} onDone={onDone} onInterrupt={onInterrupt} />);
  return { ...ui, onDone, onInterrupt };
}

type Ui = ReturnType<typeof start>;
const question = (frame: string) => frame.split('\n').filter((l) => l.startsWith('? ')).pop() ?? '';
/** The question is on screen and listening for keys (its "in scripts:" line shows once it is). */
const asking = (frame: string, title: string) => question(frame).includes(title) && frame.includes('in scripts:');
const pointed = (frame: string) => frame.split('\n').find((l) => l.startsWith('❯')) ?? '';

/** Waits for the question, moves the pointer to the option whose label contains `label`, presses Enter. */
async function choose(ui: Ui, title: string, label: string): Promise<void> {
  await waitForFrame(ui.lastFrame, (f) => asking(f, title));
  for (let i = 0; i < 12 && !pointed(ui.lastFrame() ?? '').includes(label); i++) {
    const before = pointed(ui.lastFrame() ?? '');
    await press(ui.stdin, keys.down);
    await waitForFrame(ui.lastFrame, (f) => pointed(f) !== before);
  }
  expect(pointed(ui.lastFrame() ?? '')).toContain(label);
  await press(ui.stdin, keys.enter);
  await waitForFrame(ui.lastFrame, (f) => !question(f).includes(title));
}

async function type(ui: Ui, title: string, text: string): Promise<void> {
  await waitForFrame(ui.lastFrame, (f) => asking(f, title));
  await press(ui.stdin, text);
  await waitForFrame(ui.lastFrame, (f) => f.includes(text));
  await press(ui.stdin, keys.enter);
  await waitForFrame(ui.lastFrame, (f) => !question(f).includes(title));
}

/** Accepts the preselected answer of every remaining question until the wizard finishes. */
async function acceptRest(ui: Ui): Promise<SetupAnswers> {
  for (let i = 0; i < 20 && ui.onDone.mock.calls.length === 0; i++) {
    await waitFor(() => ui.onDone.mock.calls.length > 0 || (ui.lastFrame() ?? '').includes('in scripts:'));
    if (ui.onDone.mock.calls.length > 0) break;
    const q = question(ui.lastFrame() ?? '');
    await press(ui.stdin, keys.enter);
    await waitFor(() => ui.onDone.mock.calls.length > 0 || question(ui.lastFrame() ?? '') !== q);
  }
  await waitFor(() => ui.onDone.mock.calls.length > 0, { what: 'the wizard to finish' });
  return ui.onDone.mock.calls[0]![0] as SetupAnswers;
}

describe('SetupWizard', () => {
  it('shows the cluster context and preselects what it detected', async () => {
    const ui = start();
    const frame = await waitForFrame(ui.lastFrame, (f) => asking(f, 'Who connects'));
    expect(frame).toContain('context');
    expect(frame).toContain('sandbox');
    expect(frame).toContain('in scripts: --audience');
    expect(pointed(frame)).toContain('public internet'); // ingress classes exist → public preselected
  });

  it('private CA, built-in: asks CA questions, never ACME ones, and finishes with the answers', async () => {
    const ui = start();
    await choose(ui, 'Who connects', 'Only clients inside');
    await choose(ui, 'Which certificate authority', 'Private CA (create');
    await choose(ui, 'Create a new private CA', 'Create a new root');
    await choose(ui, 'Who renews', 'Built-in');
    await type(ui, 'DNS names', 'vibectl.internal.example.net');
    const answers = await acceptRest(ui);
    expect(answers).toMatchObject({ audience: 'internal', issuer: 'private-ca', caMode: 'create', via: 'built-in', domains: ['vibectl.internal.example.net'], target: 'deployment/vibectl-server', secretName: 'vibectl-tls', keyAlgorithm: 'ecdsa-p256', tlsProfile: 'intermediate', trustOutputs: ['configmap'] });
    expect(answers.email).toBeUndefined();
    expect(answers.challenge).toBeUndefined();
  });

  it("Let's Encrypt over HTTP-01: email, challenge and the ingress class, with inline validation", async () => {
    const ui = start();
    await choose(ui, 'Who connects', 'public internet');
    await choose(ui, 'Which certificate authority', "Let's Encrypt production");
    await choose(ui, 'Who renews', 'cert-manager');
    await type(ui, 'DNS names', 'app.corp-example.net');
    await waitForFrame(ui.lastFrame, (f) => asking(f, 'Contact email'));
    await press(ui.stdin, 'nope');
    await waitForFrame(ui.lastFrame, (f) => f.includes('nope'));
    await press(ui.stdin, keys.enter);
    const invalid = await waitForFrame(ui.lastFrame, (f) => f.includes('not an email address'));
    expect(question(invalid)).toContain('Contact email'); // still on the same question
    for (let i = 0; i < 4; i++) await press(ui.stdin, keys.backspace);
    await waitForFrame(ui.lastFrame, (f) => !f.includes('nope'));
    await type(ui, 'Contact email', 'ops@corp-example.net');
    await choose(ui, 'How will the CA check', 'HTTP-01');
    await choose(ui, 'Which ingress class', 'traefik');
    const answers = await acceptRest(ui);
    expect(answers).toMatchObject({ issuer: 'letsencrypt', via: 'cert-manager', email: 'ops@corp-example.net', challenge: 'http01', ingressClass: 'traefik', hsts: true });
  });

  it('wildcards force DNS-01: HTTP-01 is shown unavailable and the DNS provider is asked', async () => {
    const ui = start({ issuer: 'letsencrypt-staging' });
    await choose(ui, 'Who renews', 'cert-manager');
    await type(ui, 'DNS names', '*.apps.corp-example.net');
    await type(ui, 'Contact email', 'ops@corp-example.net');
    const frame = await waitForFrame(ui.lastFrame, (f) => asking(f, 'How will the CA check'));
    expect(frame).toContain('unavailable: wildcard names need DNS-01');
    expect(pointed(frame)).toContain('DNS-01');
    await press(ui.stdin, keys.enter);
    await choose(ui, 'Which DNS provider', 'RFC2136');
    const answers = await acceptRest(ui);
    expect(answers).toMatchObject({ challenge: 'dns01', dnsProvider: 'rfc2136', domains: ['*.apps.corp-example.net'] });
    expect(answers.ingressClass).toBeUndefined();
  });

  it('ZeroSSL asks for External Account Binding', async () => {
    const ui = start({ audience: 'public' });
    await choose(ui, 'Which certificate authority', 'ZeroSSL');
    await choose(ui, 'Who renews', 'Built-in');
    await type(ui, 'DNS names', 'shop.corp-example.net');
    await type(ui, 'Contact email', 'ops@corp-example.net');
    await type(ui, 'External Account Binding key ID', 'kid-123');
    await type(ui, 'EAB HMAC key', '/run/secrets/eab');
    await choose(ui, 'How will the CA check', 'DNS-01');
    await choose(ui, 'Which DNS provider', 'Cloudflare');
    const answers = await acceptRest(ui);
    expect(answers).toMatchObject({ issuer: 'zerossl', eabKid: 'kid-123', eabHmacKeyFile: '/run/secrets/eab', dnsProvider: 'cloudflare' });
  });

  it('cloud path on EKS asks for the ACM ARN and validates it', async () => {
    const ui = start({ audience: 'public' }, { ...facts, cloud: 'aws' });
    await choose(ui, 'Which certificate authority', 'Cloud-managed');
    await choose(ui, 'Which cloud path', 'EKS');
    await waitForFrame(ui.lastFrame, (f) => asking(f, 'ACM certificate ARN'));
    await press(ui.stdin, 'arn:bad');
    await waitForFrame(ui.lastFrame, (f) => f.includes('arn:bad'));
    await press(ui.stdin, keys.enter);
    await waitForFrame(ui.lastFrame, (f) => f.includes('not an ACM certificate ARN'));
    for (let i = 0; i < 7; i++) await press(ui.stdin, keys.backspace);
    await waitForFrame(ui.lastFrame, (f) => !f.includes('arn:bad'));
    await type(ui, 'ACM certificate ARN', 'arn:aws:acm:eu-west-1:123456789012:certificate/abc-123');
    const answers = await acceptRest(ui);
    expect(answers).toMatchObject({ issuer: 'cloud', provider: 'eks', acmCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc-123' });
    expect(answers.domains).toBeUndefined();
  });

  it('selfSigned → CA bootstrap skips the renewal question (cert-manager owns it)', async () => {
    const ui = start({ audience: 'internal' });
    await choose(ui, 'Which certificate authority', 'owned by cert-manager');
    await type(ui, 'DNS names', 'api.internal.corp-example.net');
    const answers = await acceptRest(ui);
    expect(answers.issuer).toBe('selfsigned-bootstrap');
    expect(answers.via).toBeUndefined();
  });

  it('Esc goes back one question and restores the earlier answers', async () => {
    const ui = start();
    await choose(ui, 'Who connects', 'Only clients inside');
    await choose(ui, 'Which certificate authority', 'Private CA (create');
    await waitForFrame(ui.lastFrame, (f) => asking(f, 'Create a new private CA'));
    await press(ui.stdin, keys.escape);
    const back = await waitForFrame(ui.lastFrame, (f) => asking(f, 'Which certificate authority'));
    expect(back).not.toContain('✔ Which certificate authority');
    await press(ui.stdin, keys.escape);
    await waitForFrame(ui.lastFrame, (f) => asking(f, 'Who connects'));
    await choose(ui, 'Who connects', 'public internet');
    const frame = await waitForFrame(ui.lastFrame, (f) => asking(f, 'Which certificate authority'));
    expect(frame).toContain("Let's Encrypt"); // the public branch now
    expect(frame).not.toContain('owned by cert-manager');
  });

  it('Ctrl+C leaves without finishing', async () => {
    const ui = start();
    await waitForFrame(ui.lastFrame, (f) => asking(f, 'Who connects'));
    await press(ui.stdin, keys.ctrlC);
    await waitFor(() => ui.onInterrupt.mock.calls.length > 0);
    expect(ui.onDone).not.toHaveBeenCalled();
  });
});
