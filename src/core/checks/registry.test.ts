import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allChecks } from './registry.js';

const docs = readFileSync(new URL('../../../docs/troubleshooting.md', import.meta.url), 'utf8');

describe('check registry', () => {
  const checks = allChecks();

  it('has unique, well-formed codes', () => {
    const codes = checks.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^(SEC|TLS|GRPC|TRU|CLU|CM|CRT|ING|CLD|CT)\d{3}$/);
  });

  it.each(allChecks().map((c) => [c.code, c.title]))('%s has a section in docs/troubleshooting.md', (code) => {
    expect(docs).toContain(`<a id="${code.toLowerCase()}"></a>`);
    expect(docs).toMatch(new RegExp(`^### ${code}: `, 'm'));
  });

  it('lists dependencies that exist and run earlier', () => {
    const seen = new Set<string>();
    for (const c of checks) {
      for (const d of c.dependsOn ?? []) expect(seen.has(d), `${c.code} depends on ${d}`).toBe(true);
      seen.add(c.code);
    }
  });

  it('gives every check a title and a hint', () => {
    for (const c of checks) {
      expect(c.title.length, c.code).toBeGreaterThan(5);
      expect(c.hint.length, c.code).toBeGreaterThan(10);
    }
  });
});
