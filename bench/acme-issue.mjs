#!/usr/bin/env node
// One ACME issuance end to end against Pebble (PEBBLE_VA_NOSLEEP=1): new account, one name,
// HTTP-01 answered by the tool itself, certificate + key written.
//   ours:  `kubectl vibectl-tls acme issue … --standalone` (whole process, fresh config dir = new account)
//   peer:  lego (`github.com/go-acme/lego/v4`) — the Go module proxy here answers 403 for it, so
//          it is skipped and said so in the report.
//   floor: acme-client in-process (auto() with our own trust, skipChallengeVerification), to show
//          what the library alone costs; recorded, no target.
//
//   node bench/acme-issue.mjs [--runs 5] [--warmup 1] [--json FILE]
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { spawn } from 'node:child_process';
import { benchEnv, cleanup, commonOptions, ensureBuilt, harnessProgram, interleave, loadText, log, machine, pluginBin, row, side, stats, timeProcess, verdictText, writeReport, writeResult, fmt, root } from './lib.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, warmup: { type: 'string', default: '1' }, ...commonOptions } });
const runs = Math.max(3, Number(values.runs));
const warmup = Math.max(0, Number(values.warmup));

const pebbleBin = harnessProgram('pebble');
if (!pebbleBin) {
  log('Pebble is not built: run `bash test/harness/build.sh` first');
  process.exit(2);
}
ensureBuilt(join('dist', 'commands', 'acme', 'issue.js'));

const freePort = () =>
  new Promise((resolve) => {
    const s = createNetServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const work = mkdtempSync(join(tmpdir(), 'vibectl-tls-bench-acme-'));
// Pebble ships no certificate for its own HTTPS listener: make one.
const tlsKey = join(work, 'pebble.key');
const tlsCrt = join(work, 'pebble.crt');
const ssl = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', tlsKey, '-out', tlsCrt, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
if (ssl.status !== 0) throw new Error('openssl could not make the Pebble certificate');
const [port, mport, httpPort, tlsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
writeFileSync(join(work, 'pebble.json'), JSON.stringify({ pebble: { listenAddress: `127.0.0.1:${port}`, managementListenAddress: `127.0.0.1:${mport}`, certificate: tlsCrt, privateKey: tlsKey, httpPort, tlsPort, externalAccountBindingRequired: false } }));
const pebble = spawn(pebbleBin.path, ['-config', join(work, 'pebble.json')], { env: { ...process.env, PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0', PEBBLE_AUTHZREUSE: '0' }, stdio: 'ignore' });
const directoryUrl = `https://127.0.0.1:${port}/dir`;
const caPem = readFileSync(tlsCrt, 'utf8');
for (let i = 0; ; i++) {
  const r = spawnSync('curl', ['-sf', '--cacert', tlsCrt, directoryUrl], { stdio: 'ignore' });
  if (r.status === 0) break;
  if (i > 100) throw new Error('Pebble did not start');
  await new Promise((r2) => setTimeout(r2, 100));
}

const name = 'localhost';
let n = 0;
function ours() {
  const dir = join(work, `ours-${n++}`);
  const r = timeProcess(process.execPath, [pluginBin, 'acme', 'issue', name, '--acme-server', directoryUrl, '--acme-ca-bundle', tlsCrt, '--standalone', '--http-port', String(httpPort), '--challenge-port', String(httpPort), '--out', join(dir, 'out'), '-o', 'json'], {
    env: benchEnv({ VIBECTL_TLS_CONFIG_DIR: dir }),
  });
  if (!JSON.parse(r.stdout).account.created) throw new Error('expected a new account per run');
  return { ms: r.ms, rssKiB: r.rssKiB };
}

const acme = (await import('acme-client')).default;
const https = await import('node:https');
async function floor() {
  const t0 = performance.now();
  const agent = new https.Agent({ ca: caPem });
  const client = new acme.Client({ directoryUrl, accountKey: await acme.crypto.createPrivateEcdsaKey() });
  // Per-client trust the same way our transport does it (never a global agent).
  const orig = client.http.request.bind(client.http);
  client.http.request = (url, method, opts = {}) => orig(url, method, { ...opts, httpsAgent: agent });
  const tokens = new Map();
  const srv = createServer((q, s) => s.end(tokens.get(q.url.split('/').pop()) ?? ''));
  await new Promise((r) => srv.listen(httpPort, '127.0.0.1', r));
  try {
    const [, csr] = await acme.crypto.createCsr({ commonName: name });
    await client.auto({
      csr,
      termsOfServiceAgreed: true,
      skipChallengeVerification: true,
      challengePriority: ['http-01'],
      challengeCreateFn: async (_a, c, k) => tokens.set(c.token, k),
      challengeRemoveFn: async (_a, c) => tokens.delete(c.token),
    });
  } finally {
    await new Promise((r) => srv.close(r));
    agent.destroy();
  }
  return { ms: performance.now() - t0 };
}

const legoNote = 'lego skipped: `go list -m github.com/go-acme/lego/v4` → 403 Forbidden from proxy.golang.org on this machine';
try {
  const samples = await interleave({ series: { ours, 'acme-client in-process': floor }, runs, warmup, label: 'acme issue' });
  const oursMs = samples.ours.map((s) => s.ms);
  const floorMs = samples['acme-client in-process'].map((s) => s.ms);
  const result = row({
    key: 'acme-issue',
    measure: 'one HTTP-01 issuance, new account, end to end (Pebble, PEBBLE_VA_NOSLEEP=1)',
    unit: 'ms',
    ours: side('vibectl-tls acme issue (process)', oursMs, samples.ours.map((s) => s.rssKiB)),
    peer: null,
    target: null,
    note: `${legoNote}. acme-client in-process floor: median ${fmt(stats(floorMs).median)} ms.`,
  });
  const m = machine();
  writeResult(values.json, { rows: [result], machine: m, pebble: pebbleBin.version });
  const report = [
    '# ACME issuance (bench/acme-issue.mjs)',
    '',
    `Pebble ${pebbleBin.version}, PEBBLE_VA_NOSLEEP=1, one name (${name}), HTTP-01 standalone, a new ECDSA account per run; ${runs} runs after ${warmup} warm-up, interleaved.`,
    `Machine: ${m.nproc} CPU (${m.cpuModel}), Node ${m.node}, load ${loadText()}.`,
    '',
    '| series | median ms | min | max | peak RSS |',
    '|---|---|---|---|---|',
    `| vibectl-tls acme issue (whole process) | ${fmt(stats(oursMs).median)} | ${fmt(stats(oursMs).min)} | ${fmt(stats(oursMs).max)} | ${result.ours.rssKiB ? `${Math.round(result.ours.rssKiB / 1024)} MiB` : '–'} |`,
    `| acme-client in-process (library floor) | ${fmt(stats(floorMs).median)} | ${fmt(stats(floorMs).min)} | ${fmt(stats(floorMs).max)} | – |`,
    '',
    `${legoNote}; no peer ratio. ${verdictText(result)}.`,
    '',
    'The process figure includes Node start-up and oclif loading (see startup.md), key generation, account creation, the self-check fetch and writing the files.',
  ].join('\n');
  writeReport('acme-issue.md', report);
  process.stdout.write(report + '\n');
} finally {
  pebble.kill();
  cleanup(work);
  void root;
}
