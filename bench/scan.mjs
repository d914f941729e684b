#!/usr/bin/env node
// Endpoint scan: `kubectl-vibectl_tls doctor --endpoint 127.0.0.1:PORT -o json` (the whole
// process, start-up included) against `sslscan` on the same loopback nginx, as Debian ships it.
//
//   node bench/scan.mjs [--runs 7] [--warmup 2] [--json FILE]
//
// Runs are interleaved (A B A B …, alternating which goes first) so machine load hits both alike.
// Every counted run also checks that both tools found the same protocols and cipher suites.
// Prints medians and the ratio and writes bench/results/scan.md. Target (issue 8): ≤ 1.0× sslscan.
import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchEnv, commonOptions, ensureBuilt, kib, loadText, machine, median, pluginBin, row, side, timeProcess, toolVersion, writeReport, writeResult } from './lib.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' }, warmup: { type: 'string', default: '2' }, ...commonOptions } });
const runs = Math.max(5, Number(values.runs));
const warmup = Math.max(1, Number(values.warmup));
const TARGET = 1.0;

for (const prog of ['nginx', 'sslscan', 'openssl']) {
  if (spawnSync('sh', ['-c', `command -v ${prog} || test -x /usr/sbin/${prog}`]).status !== 0) {
    process.stderr.write(`${prog} is not installed: run scripts/install-system-deps.sh\n`);
    process.exit(1);
  }
}
ensureBuilt(join('dist', 'commands', 'doctor.js'));

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

const env = benchEnv();
const bin = pluginBin;
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
  const r = timeProcess(process.execPath, [bin, 'doctor', '--endpoint', target, '-o', 'json'], { env, ok: [0, 1] });
  const { ms, rssKiB } = r;
  const ep = JSON.parse(r.stdout).endpoints[0];
  const protocols = Object.entries(ep.protocols).filter(([, on]) => on).map(([v]) => v).sort();
  const ciphers = ep.ciphers.map((c) => `${c.version} ${c.name}`).sort();
  return { ms, rssKiB, protocols, ciphers, scanMs: ep.scanMs };
}

function sslscan(target) {
  const r = timeProcess('sslscan', ['--no-colour', '--xml=-', target]);
  const { ms, rssKiB } = r;
  const protocols = [...r.stdout.matchAll(/<protocol type="tls" version="([\d.]+)" enabled="1"/g)].map((m) => (m[1] === '1.0' ? 'TLSv1' : `TLSv${m[1]}`)).sort();
  const ciphers = [...r.stdout.matchAll(/<cipher status="\w+" sslversion="(TLSv[\d.]+)"[^>]* cipher="([^"]+)"/g)].map((m) => `${m[1] === 'TLSv1.0' ? 'TLSv1' : m[1]} ${m[2]}`).sort();
  return { ms, rssKiB, protocols, ciphers };
}

function measure(name, target) {
  const times = { doctor: [], sslscan: [], scan: [], doctorRss: [], sslscanRss: [] };
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
      times.doctorRss.push(dd.rssKiB);
      times.sslscanRss.push(s.rssKiB);
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

const line = (tool, a, rss) => `| ${tool} | ${median(a).toFixed(0)} | ${Math.min(...a).toFixed(0)} | ${Math.max(...a).toFixed(0)} | ${rss ? kib(Math.max(...rss)) : '–'} |`;
const sections = results.flatMap((r) => [
  `## ${r.name}: ${r.sample.protocols.join(', ')}; ${r.sample.ciphers.length} suites`,
  '',
  '| | median ms | min ms | max ms | peak RSS |',
  '|---|---:|---:|---:|---:|',
  line('`doctor --endpoint` (whole process)', r.times.doctor, r.times.doctorRss),
  line('doctor\'s scan alone (`scanMs`)', r.times.scan),
  line('`sslscan --xml=-`', r.times.sslscan, r.times.sslscanRss),
  '',
  `Ratio ×${r.ratio.toFixed(2)}: ${verdict(r)}. Protocols and accepted suites ${r.agree ? 'agreed in every round' : 'DIFFERED in some rounds'}.`,
  '',
]);
const m = machine();
writeReport(
  'scan.md',
  [
    '# Endpoint scan: doctor vs sslscan',
    '',
    `Written by \`node bench/scan.mjs\` on ${m.date}.`,
    '',
    `Node ${m.node} on ${m.platform}, ${m.nproc} CPUs, load average ${loadText(m.loadavg)} at the end (shared machine: compare the ratio, not absolute times).`,
    `Loopback Debian nginx, RSA 2048 certificate. ${runs} counted runs per tool and endpoint after ${warmup} warm-up rounds, interleaved.`,
    'doctor is timed as a whole process (`doctor --endpoint 127.0.0.1:PORT -o json`: Node start-up, oclif, the scan and every check); `scanMs` is the scan inside it.',
    '',
    ...sections,
  ].join('\n'),
);
const sslscanVersion = toolVersion('sslscan', ['--version'], /(\d+\.\d+\.\d+)/);
writeResult(values.json, {
  name: 'scan',
  runs,
  warmup,
  versions: { sslscan: sslscanVersion, nginx: toolVersion(nginxBin, ['-v'], /nginx\/([\d.]+)/) },
  rows: results.map((r, i) =>
    row({
      key: i === 0 ? 'scan-defaults' : 'scan-wide',
      measure: `scan one endpoint: ${r.name} (${r.sample.protocols.join(', ')}; ${r.sample.ciphers.length} suites)`,
      unit: 'ms',
      ours: side('doctor --endpoint (whole process)', r.times.doctor, r.times.doctorRss),
      peer: side(`sslscan ${sslscanVersion ?? ''}`.trim(), r.times.sslscan, r.times.sslscanRss),
      target: { op: '<=', ratio: TARGET },
      note: `findings ${r.agree ? 'agreed in every round' : 'DIFFERED'}; doctor's scan alone ${median(r.times.scan).toFixed(0)} ms, the rest is Node start-up, oclif and the other checks`,
    }),
  ),
  report: 'scan.md',
});
process.exit(results.every((r) => r.agree) ? 0 : 1);
