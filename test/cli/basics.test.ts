// The binary's front door: help, version and usage errors, run as a user runs them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT_MS, builtCli, root, runCli } from './run.js';

beforeAll(() => builtCli(), BUILD_TIMEOUT_MS);

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

describe('kubectl-vibectl_tls', () => {
  it('--help lists the commands and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('USAGE');
    expect(r.stdout).toMatch(/^\s+context\s+\S/m);
    expect(r.stdout).toMatch(/^\s+version\s+\S/m);
    expect(r.stderr).toBe('');
  });

  it('a command --help shows its flags, including the global ones', async () => {
    const r = await runCli(['context', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--kubeconfig', '--context', '--namespace', '--output', '--no-color', '--non-interactive', '--request-timeout', '--verbose', '--all-namespaces']) {
      expect(r.stdout).toContain(flag);
    }
  });

  it.each([['--version'], ['-V']])('%s prints vibectl-tls/<version> and exits 0', async (flag) => {
    const r = await runCli([flag]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^vibectl-tls/${pkg.version.replace(/\./g, '\\.')} \\S+ node-v\\d+`));
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });

  it.each([
    [['context', '--bogus'], '--bogus'],
    [['version', '--output', 'xml'], 'xml'],
    [['context', '--request-timeout'], '--request-timeout'],
  ])('%j is a usage error: exit 2, `error:` on stderr, nothing on stdout', async (args, mentioned) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: /);
    expect(r.stderr).toContain(mentioned);
    expect(r.stderr).toMatch(/^ {2}next: /m);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('an unknown command or top-level flag is a usage error too', async () => {
    for (const args of [['--bogus'], ['no-such-command']]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr, args.join(' ')).toMatch(/^error: /);
    }
  });

  it('an invalid --request-timeout is invalid input (exit 3) naming the flag', async () => {
    const r = await runCli(['context', '--request-timeout', 'soon']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^error: .*--request-timeout.*soon/);
    expect(r.stdout).toBe('');
  });
});
