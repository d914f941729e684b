import { describe, expect, it } from 'vitest';
import { doctorText, inventoryText } from './doctor.js';
import { palette } from '../colors.js';
import type { DoctorReport, InventoryReport } from '../../services/doctor.js';
import type { CheckResult } from '../../core/checks/framework.js';

const result = (over: Partial<CheckResult>): CheckResult => ({
  code: 'TLS101',
  category: 'endpoint connection',
  title: 'endpoint answers with a TLS handshake',
  status: 'ok',
  message: 'handshake completed',
  details: [],
  hint: null,
  docsUrl: 'https://example.test/docs/troubleshooting.md#tls101',
  subject: 'endpoint 127.0.0.1:8443',
  objects: [],
  ...over,
});

const report: DoctorReport = {
  kind: 'doctor',
  success: false,
  failOn: 'error',
  summary: { ok: 1, info: 0, warning: 1, error: 1, skipped: 1 },
  subjects: [],
  results: [
    result({}),
    result({ code: 'TLS102', category: 'protocols', title: 'TLS 1.0 and 1.1 are not offered', status: 'error', message: 'TLS 1.0 offered', details: ['offered: TLSv1, TLSv1.2'], hint: 'allow only TLS 1.2 and 1.3', docsUrl: 'https://example.test/t.md#tls102' }),
    result({ code: 'TLS103', category: 'protocols', title: 'TLS 1.3 is offered', status: 'warning', message: 'TLS 1.3 is not offered', hint: 'enable TLS 1.3', docsUrl: 'https://example.test/t.md#tls103' }),
    result({ code: 'TLS104', category: 'protocols', title: 'versions match', status: 'skipped', message: 'skipped: TLS101 did not pass' }),
  ],
  endpoints: [{ endpoint: '127.0.0.1:8443', mode: 'https', reachable: true, grade: { grade: 'B', caps: [{ grade: 'B', reason: 'TLS 1.0/1.1 offered' }] }, protocols: {}, ciphers: [], groups: [], alpn: false, scanMs: 10 }],
  attempts: 1,
  timedOut: false,
  notes: [],
};

describe('doctor text', () => {
  it('prints linkerd-style lines: headings per subject and category, ✔/✖/‼/-, finding, fix and docs link', () => {
    const out = doctorText(report, palette(false));
    expect(out).toContain('endpoint 127.0.0.1:8443 · protocols\n-----');
    expect(out).toContain('✔ endpoint answers with a TLS handshake [TLS101] — handshake completed');
    expect(out).toContain(['✖ TLS 1.0 and 1.1 are not offered [TLS102]', '    TLS 1.0 offered', '    offered: TLSv1, TLSv1.2', '    fix: allow only TLS 1.2 and 1.3', '    see https://example.test/t.md#tls102 for hints'].join('\n'));
    expect(out).toContain('‼ TLS 1.3 is offered [TLS103]');
    expect(out).toContain('- versions match [TLS104] (skipped: TLS101 did not pass)');
    expect(out).toContain('grade B for 127.0.0.1:8443 (TLS 1.0/1.1 offered)');
    expect(out).toMatch(/Status check results are ✖ {2}1 error, 1 warning, 1 ok, 1 skipped$/);
    expect(out).not.toContain('\u001b[');
  });

  it('colours the marks only when the palette is on', () => {
    const out = doctorText(report, palette(true));
    expect(out).toContain('\u001b[31m✖\u001b[39m');
    expect(out).toContain('\u001b[33m‼\u001b[39m');
    expect(out).toContain('\u001b[32m✔\u001b[39m');
  });
});

describe('inventory text', () => {
  it('one row per Secret, soonest first as given, errors and expiry spelled out', () => {
    const inv: InventoryReport = {
      kind: 'inventory',
      scope: 'all namespaces',
      count: 2,
      secrets: [
        { namespace: 'a', name: 'broken', issuer: null, subject: null, sans: [], notAfter: null, daysLeft: null, error: 'tls.crt has no PEM certificate', certificate: null },
        { namespace: 'b', name: 'web', issuer: 'R11', subject: 'web.test', sans: ['web.test', 'www.web.test'], notAfter: '2026-12-01T00:00:00Z', daysLeft: -2, error: null, certificate: null },
      ],
    };
    const lines = inventoryText(inv, palette(false)).split('\n');
    expect(lines[0]).toMatch(/^EXPIRES\s+SECRET\s+ISSUER\s+NAMES$/);
    expect(lines[1]).toMatch(/^error\s+a\/broken\s+-\s+tls\.crt has no PEM certificate$/);
    expect(lines[2]).toMatch(/^expired 2d ago\s+b\/web\s+R11\s+web\.test,www\.web\.test$/);
    expect(lines[3]).toBe('2 TLS Secret(s) in all namespaces, soonest expiry first');
  });
});
