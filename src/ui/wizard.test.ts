import { describe, expect, it } from 'vitest';
import { BACK, type Back } from './render.js';
import { walkSteps, type WizardStep } from './wizard.js';

interface Answers {
  issuer?: string;
  email?: string;
  caDir?: string;
  apply?: boolean;
}

/** Steps whose answers come from a script: each entry is the next answer (or BACK) for that step id. */
function scripted(script: Array<[string, string | boolean | Back]>) {
  const asked: string[] = [];
  const answer = (id: string): string | boolean | Back => {
    const next = script.shift();
    if (!next) throw new Error(`unexpected question ${id}`);
    expect(next[0]).toBe(id);
    asked.push(id);
    return next[1];
  };
  const steps: WizardStep<Answers>[] = [
    { id: 'issuer', ask: async (s) => ((a) => (a === BACK ? BACK : { ...s, issuer: a as string }))(answer('issuer')) },
    { id: 'email', when: (s) => s.issuer === 'letsencrypt', ask: async (s) => ((a) => (a === BACK ? BACK : { ...s, email: a as string }))(answer('email')) },
    { id: 'caDir', when: (s) => s.issuer === 'private-ca', ask: async (s) => ((a) => (a === BACK ? BACK : { ...s, caDir: a as string }))(answer('caDir')) },
    { id: 'apply', ask: async (s) => ((a) => (a === BACK ? BACK : { ...s, apply: a as boolean }))(answer('apply')) },
  ];
  return { steps, asked };
}

describe('walkSteps', () => {
  it('asks only the branch the answers lead to', async () => {
    const { steps, asked } = scripted([
      ['issuer', 'private-ca'],
      ['caDir', '/tmp/ca'],
      ['apply', true],
    ]);
    expect(await walkSteps(steps, {})).toEqual({ issuer: 'private-ca', caDir: '/tmp/ca', apply: true });
    expect(asked).toEqual(['issuer', 'caDir', 'apply']);
  });

  it('Esc goes back one asked step, drops later answers, and can switch branches', async () => {
    const { steps, asked } = scripted([
      ['issuer', 'letsencrypt'],
      ['email', 'a@example.com'],
      ['apply', BACK], // back to email
      ['email', BACK], // back to issuer
      ['issuer', 'private-ca'],
      ['caDir', '/srv/ca'],
      ['apply', false],
    ]);
    const result = await walkSteps(steps, {});
    // The Let's Encrypt email answered before going back is gone.
    expect(result).toEqual({ issuer: 'private-ca', caDir: '/srv/ca', apply: false });
    expect(asked).toEqual(['issuer', 'email', 'apply', 'email', 'issuer', 'caDir', 'apply']);
  });

  it('BACK from the first question leaves the wizard with BACK', async () => {
    const { steps } = scripted([['issuer', BACK]]);
    expect(await walkSteps(steps, {})).toBe(BACK);
  });
});
