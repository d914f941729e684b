import { describe, expect, it } from 'vitest';
import { ariCertIdFrom, lifetimeWindow, parseRenewalInfo, planRenewal, serialDerBytes } from './ari.js';

const DAY = 86_400_000;

describe('ARI cert id (RFC 9773 §4.1)', () => {
  it('matches the RFC example', () => {
    // RFC 9773 §4.1: keyIdentifier 69:88:5B:6B:87:46:40:41:E1:B3:7B:84:7B:A0:AE:2C:DE:01:C8:D4, serial 00:87:65:43:21.
    expect(ariCertIdFrom('69885B6B87464041E1B37B847BA0AE2CDE01C8D4', '0087654321')).toBe('aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE');
  });

  it('keeps the DER sign byte for serials with the high bit set, and drops redundant zeros', () => {
    expect(serialDerBytes('87654321').toString('hex')).toBe('0087654321');
    expect(serialDerBytes('000012').toString('hex')).toBe('12');
    expect(serialDerBytes('7f').toString('hex')).toBe('7f');
  });
});

describe('renewal window', () => {
  const nb = new Date('2026-01-01T00:00:00Z');

  it('without ARI: one third of the lifetime left for 90-day certificates', () => {
    const na = new Date(nb.getTime() + 90 * DAY);
    expect(lifetimeWindow(nb, na).start.toISOString()).toBe(new Date(na.getTime() - 30 * DAY).toISOString());
  });

  it('without ARI: one half left for lifetimes of 10 days or less (160 h, 2 min)', () => {
    const na = new Date(nb.getTime() + 160 * 3600_000);
    expect(lifetimeWindow(nb, na).start.getTime()).toBe(na.getTime() - 80 * 3600_000);
    const short = new Date(nb.getTime() + 120_000);
    expect(lifetimeWindow(nb, short).start.getTime()).toBe(nb.getTime() + 60_000);
    const ten = new Date(nb.getTime() + 10 * DAY);
    expect(lifetimeWindow(nb, ten).start.getTime()).toBe(nb.getTime() + 5 * DAY);
  });

  it('is due only from the start of the lifetime window', () => {
    const na = new Date(nb.getTime() + 90 * DAY);
    expect(planRenewal({ now: new Date(nb.getTime() + 59 * DAY), notBefore: nb, notAfter: na }).due).toBe(false);
    expect(planRenewal({ now: new Date(nb.getTime() + 60 * DAY), notBefore: nb, notAfter: na }).due).toBe(true);
  });

  it('with ARI: picks the point the random source gives inside the CA window, ignoring the lifetime rule', () => {
    const na = new Date(nb.getTime() + 90 * DAY);
    const ari = { window: { start: new Date(nb.getTime() + 10 * DAY), end: new Date(nb.getTime() + 12 * DAY) } };
    const plan = planRenewal({ now: new Date(nb.getTime() + 11 * DAY), notBefore: nb, notAfter: na, ari, random: () => 0.25 });
    expect(plan.source).toBe('ari');
    expect(plan.renewAt.getTime()).toBe(nb.getTime() + 10.5 * DAY);
    expect(plan.due).toBe(true);
    expect(planRenewal({ now: new Date(nb.getTime() + 10.4 * DAY), notBefore: nb, notAfter: na, ari, random: () => 0.25 }).due).toBe(false);
  });

  it('an expired certificate is always due', () => {
    const na = new Date(nb.getTime() + DAY);
    const ari = { window: { start: new Date(na.getTime() + DAY), end: new Date(na.getTime() + 2 * DAY) } };
    expect(planRenewal({ now: new Date(na.getTime() + 1), notBefore: nb, notAfter: na, ari }).due).toBe(true);
  });

  it('parses renewalInfo bodies and rejects malformed windows', () => {
    expect(parseRenewalInfo({ suggestedWindow: { start: '2026-01-02T00:00:00Z', end: '2026-01-03T00:00:00Z' }, explanationURL: 'https://x' })).toMatchObject({ explanationUrl: 'https://x' });
    expect(parseRenewalInfo({ suggestedWindow: { start: '2026-01-03T00:00:00Z', end: '2026-01-02T00:00:00Z' } })).toBeUndefined();
    expect(parseRenewalInfo({})).toBeUndefined();
  });
});
