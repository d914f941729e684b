// One ACME issuance (HTTP-01, ECDSA P-256 leaf) on the harness's Pebble with no validation sleep:
// `acme issue --standalone` as a whole process against the peer. The issue names lego on the same
// Pebble; this machine's Go proxy refuses github.com/go-acme/lego/v4, so the peer here is a minimal
// acme-client program (bench/acme-baseline.mjs) and the report says so.
//
//   npx tsx bench/acme.ts [--runs 5] [--warmup 1] [--json FILE]
//
// Both sides reuse one ACME account after the warm-up round (as a user's second issuance does),
// each run orders a new name (no authorization reuse), runs are interleaved. Writes
// bench/results/acme.md.
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startDns, startPebble, freePort, stopAll } from '../test/harness/index.js';
// @ts-expect-error -- plain ESM helper without types
import * as lib from './lib.mjs';

const { benchEnv, cleanup, ensureBuilt, fmt, interleave, kib, loadText, machine, pluginBin, root, row, side, timeProcess, verdictText, writeReport, writeResult } = lib;

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, warmup: { type: 'string', default: '1' }, json: { type: 'string' } } });
const runs = Math.max(5, Number(values.runs));
const warmup = Math.max(1, Number(values.warmup));
const TARGET = { op: '<=', ratio: 1.0 };

/** Whether the Go module proxy serves lego (checked once per bench run). */
function legoAvailability(): string {
  const go = ['/usr/local/go/bin/go', 'go'].find((g) => spawnSync(g, ['version']).status === 0);
  if (!go) return 'the Go toolchain is not installed, so lego cannot be built here';
  const r = spawnSync(go, ['list', '-m', '-versions', 'github.com/go-acme/lego/v4'], { encoding: 'utf8', timeout: 60_000, cwd: tmpdir() });
  if (r.status === 0) return `the Go proxy now serves lego (${r.stdout.trim().split(' ').pop()}): add a test/harness/lego component to compare against it`;
  const why = (r.stderr || r.error?.message || '').split('\n').find((l) => /403|refused|not available|timeout/i.test(l)) ?? r.stderr.split('\n')[0] ?? '';
  return `this machine's Go module proxy refuses github.com/go-acme/lego/v4 (${why.trim()}), so lego cannot be built here`;
}

ensureBuilt(join('dist', 'commands', 'acme', 'issue.js'));
const lego = legoAvailability();
lib.log(`lego: ${lego}`);

const dns = await startDns();
const httpPort = await freePort();
const pebble = await startPebble({ dnsServer: dns.hostPort, httpPort });
const dir = mkdtempSync(join(tmpdir(), 'vibectl-tls-bench-acme-'));
try {
  const env = benchEnv({ VIBECTL_TLS_CONFIG_DIR: join(dir, 'config') });
  const baselineEnv = benchEnv({ NODE_EXTRA_CA_CERTS: pebble.caFile });
  let seq = 0;
  const check = (out: string, name: string) => {
    const leaf = new X509Certificate(readFileSync(join(out, 'tls.crt'), 'utf8'));
    if (!leaf.subjectAltName?.includes(name)) throw new Error(`${out}: certificate for ${leaf.subjectAltName}, expected ${name}`);
    if (leaf.publicKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') throw new Error(`${out}: not an ECDSA P-256 leaf`);
  };
  const plugin = () => {
    const name = `p${++seq}.example.test`;
    const out = join(dir, `out-${seq}`);
    const r = timeProcess(process.execPath, [pluginBin, 'acme', 'issue', name, '--acme-server', pebble.directoryUrl, '--acme-ca-bundle', pebble.caFile, '--email', 'bench@example.org', '--dns-resolver', dns.hostPort, '--standalone', '--http-port', String(httpPort), '--challenge-port', String(httpPort), '--out', out, '-o', 'json'], { env });
    check(out, name);
    return r;
  };
  const baseline = () => {
    const name = `b${++seq}.example.test`;
    const out = join(dir, `out-${seq}`);
    const r = timeProcess(process.execPath, [join(root, 'bench', 'acme-baseline.mjs'), '--directory', pebble.directoryUrl, '--account-key', join(dir, 'baseline-account.key'), '--port', String(httpPort), '--out', out, name], { env: baselineEnv });
    check(out, name);
    return r;
  };
  const samples = await interleave({ series: { plugin, baseline }, runs, warmup, label: 'acme' });
  const ours = side('acme issue --standalone (whole process)', samples.plugin.map((s: { ms: number }) => s.ms), samples.plugin.map((s: { rssKiB: number }) => s.rssKiB));
  const peer = side('acme-client baseline (bench/acme-baseline.mjs), stand-in for lego', samples.baseline.map((s: { ms: number }) => s.ms), samples.baseline.map((s: { rssKiB: number }) => s.rssKiB));
  const result = row({
    key: 'acme-issue',
    measure: 'one ACME issuance on Pebble (HTTP-01, no VA sleep)',
    unit: 'ms',
    ours,
    peer,
    target: TARGET,
    note: `peer is NOT lego: ${lego}. The stand-in skips the self-check the plugin does before asking the CA to validate`,
  });
  console.log(`acme issue ${fmt(ours.median)} ms, acme-client baseline ${fmt(peer.median)} ms: ${verdictText(result)}`);
  const m = machine();
  writeReport(
    'acme.md',
    [
      '# One ACME issuance on Pebble: acme issue vs a stand-in peer',
      '',
      `Written by \`npx tsx bench/acme.ts\` on ${m.date}.`,
      '',
      `Node ${m.node} on ${m.platform}, ${m.nproc} CPUs (${m.cpuModel}), load average ${loadText(m.loadavg)} at the end (shared machine: compare the ratio).`,
      `Pebble ${pebble.version} from the harness (PEBBLE_VA_NOSLEEP=1, no authorization reuse, no nonce rejection), names resolved by the harness BIND to 127.0.0.1; HTTP-01 answered on 127.0.0.1:${httpPort} by each program itself.`,
      `**lego was not measured**: ${lego}. The peer is bench/acme-baseline.mjs: acme-client ${acmeClientVersion()} \`auto()\` with the plugin's polling back-off (250 ms–3 s), no self-check.`,
      `Both sides are whole Node processes writing the chain and key; both reuse their account after the warm-up round. ${runs} counted runs each after ${warmup} warm-up, interleaved; peak RSS from GNU time.`,
      '',
      '| program | median ms | min ms | max ms | peak RSS |',
      '|---|---:|---:|---:|---:|',
      ...[ours, peer].map((s) => `| ${s.label} | ${fmt(s.median)} | ${fmt(s.min)} | ${fmt(s.max)} | ${kib(s.rssKiB)} |`),
      '',
      `acme issue / stand-in: ${verdictText(result)} (the issue's target is against lego).`,
      '',
    ].join('\n'),
  );
  writeResult(values.json, { name: 'acme', runs, warmup, versions: { pebble: pebble.version, acmeClient: acmeClientVersion(), lego: null }, notes: [`lego: ${lego}`], rows: [result], report: 'acme.md' });
} finally {
  await pebble.stop();
  await dns.stop();
  await stopAll();
  cleanup(dir);
}

function acmeClientVersion(): string {
  return (JSON.parse(readFileSync(join(root, 'node_modules', 'acme-client', 'package.json'), 'utf8')) as { version: string }).version;
}
