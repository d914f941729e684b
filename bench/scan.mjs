#!/usr/bin/env node
// Endpoint scan: `kubectl-vibectl_tls doctor --endpoint 127.0.0.1:PORT -o json` (the whole
// process, start-up included) against `sslscan` on the same loopback nginx, as Debian ships it.
//
//   node bench/scan.mjs [--runs 7] [--warmup 2]
//
// Runs are interleaved (A B A B …, alternating which goes first) so machine load hits both alike.
// Every counted run also checks that both tools found the same protocols and cipher suites.
// Prints medians and the ratio and writes bench/results/scan.md. Target (issue 8): ≤ 1.0× sslscan.
import { spawn, spawnSync } from 'node:child_process';
import { cpus, loadavg, tmpdir } from 'node:os';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' }, warmup: { type: 'string', default: '2' } } });
const runs = Math.max(5, Number(values.runs));
const warmup = Math.max(1, Number(values.warmup));
const TARGET = 1.0;

for (const prog of ['nginx', 'sslscan', 'openssl']) {
  if (spawnSync('sh', ['-c', `command -v ${prog} || test -x /usr/sbin/${prog}`]).status !== 0) {
    process.stderr.write(`${prog} is not installed: run scripts/install-system-deps.sh\n`);
    process.exit(1);
  }
}
if (!existsSync(join(root, 'dist', 'commands', 'doctor.js')) || !existsSync(join(root, 'oclif.manifest.json'))) {
  process.stderr.write('dist/ has no doctor command; running npm run build\n');
  if (spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
}

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

// nginx with a fresh RSA 2048 certificate and nginx's own TLS defaults (no ssl_protocols or
// ssl_ciphers): the endpoint most people start from.
const dir = mkdtempSync(join(tmpdir(), 'vibectl-tls-bench-scan-'));
mkdirSync(join(dir, 'tmp'));
const gen = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '90', '-subj', '/CN=bench.test', '-addext', 'subjectAltName=DNS:bench.test'], { stdio: 'ignore' });
if (gen.status !== 0) throw new Error('openssl could not create the test certificate');
const port = await freePort();
const widePort = await freePort();
writeFileSync(
  join(dir, 'nginx.conf'),
  `worker_processes 1;
error_log ${dir}/error.log warn;
pid ${dir}/nginx.pid;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp; proxy_temp_path ${dir}/tmp; fastcgi_temp_path ${dir}/tmp; uwsgi_temp_path ${dir}/tmp; scgi_temp_path ${dir}/tmp;
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${dir}/cert.pem;
    ssl_certificate_key ${dir}/key.pem;
    location / { return 200 "ok\\n"; }
  }
  server {
    listen 127.0.0.1:${widePort} ssl;
    ssl_certificate ${dir}/cert.pem;
    ssl_certificate_key ${dir}/key.pem;
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
    ssl_ciphers ALL:@SECLEVEL=0;
    location / { return 200 "ok\\n"; }
  }
}
`,
);
const nginxBin = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
const nginx = spawn(nginxBin, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
const stop = () => {
  nginx.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
};
process.on('exit', stop);
for (let i = 0; ; i++) {
  const up = await new Promise((r) => {
    const s = connect({ host: '127.0.0.1', port }, () => (s.destroy(), r(true)));
    s.on('error', () => r(false));
  });
  if (up) break;
  if (i > 100) throw new Error('nginx did not start');
  await new Promise((r) => setTimeout(r, 50));
}

const env = { ...process.env, NO_COLOR: '1', KUBECONFIG: join(tmpdir(), 'vibectl-tls-bench-no-kubeconfig') };
delete env.NODE_OPTIONS;
const bin = join(root, 'bin', 'kubectl-vibectl_tls');
for (let i = 0; ; i++) {
  const up = await new Promise((r) => {
    const s = connect({ host: '127.0.0.1', port: widePort }, () => (s.destroy(), r(true)));
    s.on('error', () => r(false));
  });
  if (up) break;
  if (i > 100) throw new Error('nginx did not start');
  await new Promise((r) => setTimeout(r, 50));
}

function doctor(target) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [bin, 'doctor', '--endpoint', target, '-o', 'json'], { env, encoding: 'utf8', maxBuffer: 16 << 20 });
  const ms = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`doctor exited ${r.status}: ${r.stderr}`);
  const ep = JSON.parse(r.stdout).endpoints[0];
  const protocols = Object.entries(ep.protocols).filter(([, on]) => on).map(([v]) => v).sort();
  const ciphers = ep.ciphers.map((c) => `${c.version} ${c.name}`).sort();
  return { ms, protocols, ciphers, scanMs: ep.scanMs };
}

function sslscan(target) {
  const t0 = performance.now();
  const r = spawnSync('sslscan', ['--no-colour', '--xml=-', target], { encoding: 'utf8', maxBuffer: 16 << 20 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`sslscan exited ${r.status}: ${r.stderr}`);
  const protocols = [...r.stdout.matchAll(/<protocol type="tls" version="([\d.]+)" enabled="1"/g)].map((m) => (m[1] === '1.0' ? 'TLSv1' : `TLSv${m[1]}`)).sort();
  const ciphers = [...r.stdout.matchAll(/<cipher status="\w+" sslversion="(TLSv[\d.]+)"[^>]* cipher="([^"]+)"/g)].map((m) => `${m[1] === 'TLSv1.0' ? 'TLSv1' : m[1]} ${m[2]}`).sort();
  return { ms, protocols, ciphers };
}

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function measure(name, target) {
  const times = { doctor: [], sslscan: [], scan: [] };
  let agree = true;
  let sample;
  for (let round = 0; round < warmup + runs; round++) {
    const first = round % 2 ? 'sslscan' : 'doctor';
    const d = first === 'doctor' ? doctor(target) : undefined;
    const s = sslscan(target);
    const dd = d ?? doctor(target);
    if (JSON.stringify([dd.protocols, dd.ciphers]) !== JSON.stringify([s.protocols, s.ciphers])) {
      agree = false;
      process.stderr.write(`${name} round ${round}: findings differ\n doctor:  ${dd.protocols} | ${dd.ciphers.join(', ')}\n sslscan: ${s.protocols} | ${s.ciphers.join(', ')}\n`);
    }
    sample = dd;
    if (round >= warmup) {
      times.doctor.push(dd.ms);
      times.sslscan.push(s.ms);
      times.scan.push(dd.scanMs);
    }
  }
  const ratio = median(times.doctor) / median(times.sslscan);
  return { name, times, ratio, agree, sample };
}

const results = [measure('nginx defaults', `127.0.0.1:${port}`), measure('wide (TLS 1.0–1.3, ALL ciphers)', `127.0.0.1:${widePort}`)];
const verdict = (r) => `${r.ratio <= TARGET ? 'meets' : 'MISSES'} the target (≤ ${TARGET.toFixed(1)}× sslscan)`;
for (const r of results) {
  console.log(`${r.name}: doctor ${median(r.times.doctor).toFixed(0)} ms (scan ${median(r.times.scan).toFixed(0)} ms), sslscan ${median(r.times.sslscan).toFixed(0)} ms, ×${r.ratio.toFixed(2)} — ${verdict(r)}; findings ${r.agree ? 'agree' : 'DIFFER'} (${r.sample.protocols.join(', ')}; ${r.sample.ciphers.length} suites)`);
}

const row = (tool, a) => `| ${tool} | ${median(a).toFixed(0)} | ${Math.min(...a).toFixed(0)} | ${Math.max(...a).toFixed(0)} |`;
const sections = results.flatMap((r) => [
  `## ${r.name}: ${r.sample.protocols.join(', ')}; ${r.sample.ciphers.length} suites`,
  '',
  '| | median ms | min ms | max ms |',
  '|---|---:|---:|---:|',
  row('`doctor --endpoint` (whole process)', r.times.doctor),
  row('doctor\'s scan alone (`scanMs`)', r.times.scan),
  row('`sslscan --xml=-`', r.times.sslscan),
  '',
  `Ratio ×${r.ratio.toFixed(2)}: ${verdict(r)}. Protocols and accepted suites ${r.agree ? 'agreed in every round' : 'DIFFERED in some rounds'}.`,
  '',
]);
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(
  join(root, 'bench', 'results', 'scan.md'),
  [
    '# Endpoint scan: doctor vs sslscan',
    '',
    `Written by \`node bench/scan.mjs\` on ${new Date().toISOString()}.`,
    '',
    `Node ${process.version} on ${process.platform}-${process.arch}, ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' / ')} at the end (shared machine: compare the ratio, not absolute times).`,
    `Loopback Debian nginx, RSA 2048 certificate. ${runs} counted runs per tool and endpoint after ${warmup} warm-up rounds, interleaved.`,
    'doctor is timed as a whole process (`doctor --endpoint 127.0.0.1:PORT -o json`: Node start-up, oclif, the scan and every check); `scanMs` is the scan inside it.',
    '',
    ...sections,
  ].join('\n'),
);
process.exit(results.every((r) => r.agree) ? 0 : 1);
