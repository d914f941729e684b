#!/usr/bin/env node
// `npm run sandbox`: a local playground cluster for vibectl-tls — real kube-apiserver, cert-manager,
// Pebble (ACME) and BIND (RFC2136) on loopback — that stays up until Ctrl+C.
// Uses only Node built-ins so it works from a fresh clone before `npm ci` has run; the stack itself
// is started by scripts/sandbox-main.ts (TypeScript, run with tsx).
//
//   npm run sandbox                       prepare, start, stay up until Ctrl+C
//   npm run sandbox -- --exit-after-ready start, print, stop again (also VIBECTL_TLS_SANDBOX_EXIT_AFTER_READY=1)
//   npm run sandbox -- --skip-prepare     skip npm ci / build / system packages / Go builds
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

function step(title, cmd, cmdArgs) {
  const started = Date.now();
  process.stderr.write(`▶ ${title}\n`);
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
  if (r.status !== 0) {
    process.stderr.write(`✖ ${title} failed (exit ${r.status ?? r.signal}); fix the error above and run \`npm run sandbox\` again\n`);
    process.exit(r.status || 1);
  }
  process.stderr.write(`✔ ${title} (${((Date.now() - started) / 1000).toFixed(1)}s)\n`);
}

if (!args.includes('--skip-prepare')) {
  const lock = join(root, 'package-lock.json');
  const installed = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) step('npm ci', 'npm', ['ci', '--no-audit', '--no-fund']);
  step('build the plugin', 'npm', ['run', '--silent', 'build']);
  step('system packages (BIND9, openssl, …)', 'bash', ['scripts/install-system-deps.sh']);
  if (spawnSync('go', ['version']).status !== 0 && !existsSync('/usr/local/go/bin/go')) {
    process.stderr.write('✖ Go is not installed: the sandbox builds kube-apiserver, etcd, cert-manager and Pebble from Go modules.\n  Install Go ≥ 1.26 (https://go.dev/dl) and run `npm run sandbox` again.\n');
    process.exit(1);
  }
  step('control-plane programs (cached, incremental)', 'bash', ['test/harness/build.sh']);
}

// The child shuts the stack down on a signal; we forward ours (a terminal's Ctrl+C reaches both of
// us, and the child ignores the duplicate) and exit with its status.
const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'sandbox-main.ts'), ...args.filter((a) => a !== '--skip-prepare')], {
  cwd: root,
  stdio: 'inherit',
  env: process.env,
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    child.kill(sig);
  });
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (signal === 'SIGINT' ? 2 : 15) : 1)));
