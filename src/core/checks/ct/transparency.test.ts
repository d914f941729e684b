import { describe, expect, it } from 'vitest';
import { runChecks, type CheckDefinition, type Subject } from '../framework.js';
import { ctExpectedIssuers, ctRecent, ctSubject } from './transparency.js';
import type { CtEntry } from '../../ct/crtsh.js';

const NOW = new Date('2026-11-28T00:00:00Z');
const DAY = 86_400_000;
const clock = { now: () => NOW, sleep: async () => {} };
const checks = [ctExpectedIssuers, ctRecent] as CheckDefinition<Subject>[];

function entry(serial: string, issuerName: string, o: { loggedDaysAgo: number; validDays?: number }): CtEntry {
  const logged = new Date(NOW.getTime() - o.loggedDaysAgo * DAY);
  return { ids: [Number.parseInt(serial, 16)], issuerName, commonName: undefined, names: ['www.example.com'], notBefore: logged, notAfter: new Date(logged.getTime() + (o.validDays ?? 90) * DAY), serial, loggedAt: logged };
}

async function run(entries: CtEntry[], expected: Array<{ match: string; source: string }>) {
  const results = await runChecks({ checks, subjects: [ctSubject({ domain: 'example.com', service: 'crt.test', entries, expected, days: 30 })], clock });
  return new Map(results.map((r) => [r.code, r]));
}

describe('CT checks', () => {
  const le = "C=US, O=Let's Encrypt, CN=R11";
  const other = 'C=BE, O=GlobalSign nv-sa, CN=GlobalSign GCC R6 AlphaSSL CA 2025';

  it('warns about a valid certificate from an unexpected issuer and lists it; expired ones are history', async () => {
    const r = await run(
      [entry('a1', le, { loggedDaysAgo: 5 }), entry('b2', other, { loggedDaysAgo: 10 }), entry('c3', other, { loggedDaysAgo: 400 })],
      [{ match: "Let's Encrypt", source: 'ClusterIssuer letsencrypt' }],
    );
    const ct101 = r.get('CT101')!;
    expect(ct101.status).toBe('warning');
    expect(ct101.message).toBe('1 of 2 valid certificate(s) for example.com come from an issuer the cluster does not use');
    expect(ct101.details[0]).toContain('serial b2 · C=BE, O=GlobalSign');
    expect(ct101.details.join('\n')).not.toContain('serial c3');
    expect(ct101.details.at(-1)).toBe(`expected: "Let's Encrypt" (ClusterIssuer letsencrypt)`);
    const ct102 = r.get('CT102')!;
    expect(ct102.status).toBe('info');
    expect(ct102.message).toBe('2 certificate(s) logged in the last 30 day(s)');
  });

  it('passes when every valid certificate is from an expected issuer; nothing recent passes CT102', async () => {
    const r = await run([entry('a1', le, { loggedDaysAgo: 45 })], [{ match: "let's encrypt", source: '--ct-expected-issuer' }]);
    expect(r.get('CT101')!.status).toBe('ok');
    expect(r.get('CT102')!.status).toBe('ok');
    expect(r.get('CT102')!.message).toBe('none logged in the last 30 day(s)');
  });

  it('is info (not a warning) when no expected issuer is known', async () => {
    const r = await run([entry('b2', other, { loggedDaysAgo: 1 })], []);
    expect(r.get('CT101')!.status).toBe('info');
    expect(r.get('CT101')!.message).toMatch(/pass --ct-expected-issuer/);
    expect(r.get('CT101')!.details).toEqual([`${other} (1)`]);
  });
});
