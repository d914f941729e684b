// The npm package as users get it: `npm pack`, then `npm i -g --prefix <tmp>` of the tarball; both
// bins land on PATH and run (needs `npm run build` first, as `npm test` does).
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDir } from '../harness/index.js';

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; engines: { node: string } };

describe('npm package', () => {
  it('ships bin, dist and the manifest — not the binaries, not tests — and installs globally', () => {
    const packDir = makeDir('npm-pack-');
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', packDir], { cwd: root, encoding: 'utf8' })) as { filename: string; files: { path: string }[] }[];
    const files = packed[0]!.files.map((f) => f.path);
    expect(files).toContain('bin/kubectl-vibectl_tls');
    expect(files).toContain('bin/kubectl_complete-vibectl_tls');
    expect(files).toContain('oclif.manifest.json');
    expect(files).toContain('dist/commands/version.js');
    expect(files).toContain('LICENSE');
    expect(files.filter((f) => f.startsWith('dist/package') || f.includes('.test.') || f.startsWith('src/'))).toEqual([]);

    const prefix = makeDir('npm-global-');
    const tarball = join(packDir, packed[0]!.filename);
    const install = spawnSync('npm', ['i', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], { encoding: 'utf8' });
    expect(install.status, install.stderr).toBe(0);
    const env = { ...process.env, PATH: `${join(prefix, 'bin')}:${process.env.PATH}` };
    const version = execFileSync('kubectl-vibectl_tls', ['--version'], { env, encoding: 'utf8' });
    expect(version).toBe(`vibectl-tls/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`);
    const comp = execFileSync('kubectl_complete-vibectl_tls', [''], { env, encoding: 'utf8' });
    expect(comp).toMatch(/^version\t/m);
    expect(comp.trim().split('\n').at(-1)).toBe(':4');
    const json = JSON.parse(execFileSync('kubectl-vibectl_tls', ['version', '-o', 'json', '--kubeconfig', join(prefix, 'none')], { env, encoding: 'utf8' })) as { plugin: string };
    expect(json.plugin).toBe(pkg.version);
  }, 300_000);

  it('declares an engines range the running Node satisfies', () => {
    const min = /^>=(\d+)\.(\d+)/.exec(pkg.engines.node);
    expect(min).not.toBeNull();
    const [maj, minor] = process.versions.node.split('.').map(Number) as [number, number];
    expect(maj > Number(min![1]) || (maj === Number(min![1]) && minor >= Number(min![2]))).toBe(true);
  });
});
