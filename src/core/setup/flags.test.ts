import { describe, expect, it } from 'vitest';
import { answersFromFlags, reproduceCommand } from './flags.js';

describe('setup flags', () => {
  it('reads repeatable and comma-separated lists, and maps --provider to the cloud path', () => {
    expect(answersFromFlags({ domain: ['a.example.net', 'b.example.net,c.example.net'], issuer: 'private-ca', hsts: false })).toEqual({
      domains: ['a.example.net', 'b.example.net', 'c.example.net'],
      issuer: 'private-ca',
      hsts: false,
    });
    expect(answersFromFlags({ provider: 'eks' })).toEqual({ provider: 'eks', issuer: 'cloud' });
    expect(answersFromFlags({ provider: 'onprem' })).toEqual({ issuer: 'private-ca', via: 'cert-manager' });
  });

  it('prints a command that reads back to the same answers', () => {
    const answers = { issuer: 'letsencrypt' as const, domains: ['app.example.net', "o'brien.example.net"], email: 'ops@corp.example.net', challenge: 'dns01' as const, hsts: false, trustOutputs: ['configmap' as const] };
    const cmd = reproduceCommand(answers, { namespace: 'apps' });
    expect(cmd).toContain("--domain 'o'\\''brien.example.net'");
    expect(cmd).toContain('--no-hsts');
    expect(cmd).toMatch(/--non-interactive --yes$/);
    // Parse it back the simple way a shell would for these tokens.
    const tokens = cmd.match(/'(?:[^']|'\\'')*'|\S+/g)!.map((t) => (t.startsWith("'") ? t.slice(1, -1).replace(/'\\''/g, "'") : t));
    const flags: Record<string, unknown> = {};
    for (let i = 3; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (!t.startsWith('--')) continue;
      if (t === '--no-hsts') flags.hsts = false;
      else if (['--non-interactive', '--yes'].includes(t)) continue;
      else {
        const name = t.slice(2);
        const value = tokens[++i]!;
        flags[name] = name === 'domain' || name === 'trust-output' ? [...((flags[name] as string[]) ?? []), value] : value;
      }
    }
    expect(answersFromFlags(flags)).toEqual(answers);
  });
});
