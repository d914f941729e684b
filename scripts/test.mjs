#!/usr/bin/env node
// `npm test`: installs what the suite needs, then runs typecheck, lint, unit and integration tests.
// Uses only Node built-ins so it works before `npm ci` has run.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const only = args.includes('--unit') ? 'unit' : args.includes('--integration') ? 'integration' : 'all';

function step(title, cmd, cmdArgs, opts = {}) {
  const started = Date.now();
  process.stderr.write(`\n▶ ${title}\n`);
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env: process.env, ...opts });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    process.stderr.write(`✖ ${title} failed (exit ${r.status ?? r.signal}) after ${secs}s\n`);
    process.exit(r.status ?? 1);
  }
  process.stderr.write(`✔ ${title} (${secs}s)\n`);
}

const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  step('npm ci', 'npm', ['ci', '--no-audit', '--no-fund']);
}
step('build', 'npm', ['run', '--silent', 'build']);
step('typecheck', 'npm', ['run', '--silent', 'typecheck']);
step('lint', 'npm', ['run', '--silent', 'lint']);
if (only !== 'unit') {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.status !== 0) {
    process.stderr.write('✖ Go is not installed: the integration suite builds kube-apiserver, etcd, cert-manager and Pebble from Go modules.\n  Install Go ≥ 1.26 (https://go.dev/dl) and run `npm test` again.\n');
    process.exit(1);
  }
  step('system packages (BIND9, nginx, sslscan, openssl, tmux)', 'bash', ['scripts/install-system-deps.sh']);
  step('control-plane binaries (cached, incremental)', 'bash', ['test/harness/build.sh']);
}
const vitest = join(root, 'node_modules', '.bin', 'vitest');
const projects = only === 'all' ? [] : ['--project', only];
step(`tests (${only})`, vitest, ['run', ...projects]);
