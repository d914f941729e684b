// krew's manifest rules (the ones sigs.k8s.io/krew validation applies) and the archives' layout.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { krewManifest, manifestYaml, validateKrewManifest } from '../../scripts/package/krew-manifest.mjs';
import { writeTarGz, writeZip } from '../../scripts/package/archive.mjs';
import { TARGETS, archiveName } from '../../scripts/package/targets.mjs';

const sha = 'a'.repeat(64);
const good = () =>
  krewManifest({
    version: '0.1.0',
    homepage: 'https://github.com/vibectl/vibectl-tls',
    platforms: TARGETS.map((t) => ({ os: t.os, arch: t.arch, uri: `https://example.invalid/${archiveName('0.1.0', t)}`, sha256: sha, bin: `kubectl-vibectl_tls${t.exe}` })),
  });

describe('krew manifest', () => {
  it('the generated manifest passes, one platform per os/arch, windows with .exe and a zip', () => {
    const m = good();
    expect(validateKrewManifest(m)).toEqual([]);
    expect(m.spec.version).toBe('v0.1.0');
    expect(m.spec.platforms).toHaveLength(5);
    const win = m.spec.platforms.find((p) => p.selector.matchLabels.os === 'windows');
    expect(win?.bin).toBe('kubectl-vibectl_tls.exe');
    expect(win?.uri.endsWith('.zip')).toBe(true);
    // YAML round trip keeps it valid.
    expect(validateKrewManifest(parse(manifestYaml(m)))).toEqual([]);
  });

  it.each([
    ['a version without v', (m: ReturnType<typeof good>) => (m.spec.version = '0.1.0'), /semver/],
    ['upper-case sha256', (m: ReturnType<typeof good>) => (m.spec.platforms[0]!.sha256 = 'A'.repeat(64)), /sha256/],
    ['a two-line shortDescription', (m: ReturnType<typeof good>) => (m.spec.shortDescription = 'a\nb'), /one line/],
    ['a windows bin without .exe', (m: ReturnType<typeof good>) => (m.spec.platforms[4]!.bin = 'kubectl-vibectl_tls'), /\.exe/],
    ['an empty selector', (m: ReturnType<typeof good>) => (m.spec.platforms[0]!.selector = { matchLabels: {} } as never), /selector/],
    ['two platforms for one os/arch', (m: ReturnType<typeof good>) => m.spec.platforms.push({ ...m.spec.platforms[0]! }), /more than one/],
    ['a name that is not the file name', (m: ReturnType<typeof good>) => (m.metadata.name = 'vibectl'), /file name/],
    ['an archive that is neither tar.gz nor zip', (m: ReturnType<typeof good>) => (m.spec.platforms[0]!.uri = 'https://x.invalid/a.tar.xz'), /tar\.gz or \.zip/],
  ])('rejects %s', (_name, mutate, problem) => {
    const m = good();
    mutate(m);
    expect(validateKrewManifest(m).join('\n')).toMatch(problem);
  });
});

describe('archives', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vtls-archive-'));
  const bin = join(dir, 'kubectl-vibectl_tls');
  writeFileSync(bin, '#!/bin/sh\necho ok\n', { mode: 0o755 });
  const files = [
    { name: 'kubectl-vibectl_tls', path: bin, mode: 0o755 },
    { name: 'LICENSE', data: 'MIT\n', mode: 0o644 },
  ];

  it('tar.gz: GNU tar lists the files, keeps the executable bit, and the bytes are reproducible', () => {
    const a = join(dir, 'a.tar.gz');
    const shaA = writeTarGz(a, files);
    expect(writeTarGz(join(dir, 'b.tar.gz'), files)).toBe(shaA);
    const out = join(dir, 'x');
    execFileSync('mkdir', ['-p', out]);
    execFileSync('tar', ['-xzf', a, '-C', out]);
    expect(statSync(join(out, 'kubectl-vibectl_tls')).mode & 0o777).toBe(0o755);
    expect(execFileSync(join(out, 'kubectl-vibectl_tls'), { encoding: 'utf8' })).toBe('ok\n');
    expect(readFileSync(join(out, 'LICENSE'), 'utf8')).toBe('MIT\n');
  });

  it('zip: unzip tests it clean and reproduces the content', () => {
    const z = join(dir, 'a.zip');
    const shaZ = writeZip(z, files);
    expect(writeZip(join(dir, 'b.zip'), files)).toBe(shaZ);
    expect(execFileSync('unzip', ['-t', z], { encoding: 'utf8' })).toContain('No errors detected');
    expect(execFileSync('unzip', ['-p', z, 'LICENSE'], { encoding: 'utf8' })).toBe('MIT\n');
  });
});
