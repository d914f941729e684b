// `doctor --inventory -A` over kubernetes.io/tls Secrets on the harness's real kube-apiserver,
// against the listing people run by hand: `kubectl get secrets -A --field-selector
// type=kubernetes.io/tls -o json` (the harness kubectl). Wall time and peak RSS of each whole
// process at 500, 2,000 and 10,000 Secrets: the ratio should stay ≤ 1.5× and doctor's memory flat
// (it pages; kubectl holds the whole list).
//
//   npx tsx bench/inventory.ts [--runs 5] [--warmup 1] [--sizes 500,2000,10000] [--create-budget 300] [--json FILE]
//
// Secrets are created with a bounded pool of concurrent requests. When creating the next size
// would take longer than --create-budget seconds at the rate seen so far, the largest size falls
// back to 5,000 and the report says so. Writes bench/results/inventory.md.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { startControlPlane, stopAll } from '../test/harness/index.js';
import { makePki, tlsSecretData } from '../test/support/doctor-pki.js';
import { path, R } from '../src/core/kube/paths.js';
import { mapPool } from '../src/core/checks/framework.js';
// @ts-expect-error -- plain ESM helper without types
import * as lib from './lib.mjs';

const { benchEnv, ensureBuilt, fmt, harnessProgram, interleave, kib, loadText, log, machine, pluginBin, row, side, timeProcess, verdictText, writeReport, writeResult } = lib;

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    sizes: { type: 'string', default: '500,2000,10000' },
    'create-budget': { type: 'string', default: '300' },
    json: { type: 'string' },
  },
});
const runs = Math.max(3, Number(values.runs));
const warmup = Math.max(1, Number(values.warmup));
let sizes = values.sizes.split(',').map(Number).filter((n) => n > 0).sort((a, b) => a - b);
const createBudgetMs = Number(values['create-budget']) * 1000;
const TARGET = { op: '<=', ratio: 1.5 };
const TARGET_MS = 5000; // issue 8: 2,000 Secrets in under 5 s
const NAMESPACES = 20;
const POOL = 16;
const notes: string[] = [];

ensureBuilt(join('dist', 'commands', 'doctor.js'));
const kubectl = harnessProgram('kubectl') as { path: string; version: string } | null;
if (!kubectl) {
  process.stderr.write('the harness kubectl is not built: run npm run harness:build (or bash test/harness/build.sh kube)\n');
  process.exit(1);
}

type Sample = { ms: number; rssKiB: number | null; count: number };
const cp = await startControlPlane();
try {
  const kube = await cp.client('admin');
  const pki = await makePki('Inventory Bench');
  const certs = await Promise.all(
    Array.from({ length: 40 }, (_, i) => pki.leaf({ cn: `svc${i}.bench.test`, dnsNames: [`svc${i}.bench.test`, `alt${i}.bench.test`], notAfter: new Date(Date.now() + (5 + i * 3) * 86_400_000) })),
  );
  for (let n = 0; n < NAMESPACES; n++) await kube.create(path(R.namespaces), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `inv-${n}` } });

  let created = 0;
  let createMsPerSecret = 0;
  const createUpTo = async (total: number) => {
    const todo = Array.from({ length: total - created }, (_, k) => created + k);
    const t0 = performance.now();
    let done = 0;
    const tick = setInterval(() => log(`inventory: creating Secrets ${created + done}/${total}`), 15_000);
    try {
      await mapPool(todo, POOL, async (i) => {
        const c = certs[i % certs.length]!;
        await kube.create(path(R.secrets, { namespace: `inv-${i % NAMESPACES}` }), {
          apiVersion: 'v1',
          kind: 'Secret',
          type: 'kubernetes.io/tls',
          metadata: { name: `tls-${i}` },
          data: tlsSecretData({ cert: c.certPem + pki.intermediate.certPem, key: c.keyPem }),
        } as never);
        done++;
      });
    } finally {
      clearInterval(tick);
    }
    createMsPerSecret = (performance.now() - t0) / Math.max(1, todo.length);
    log(`inventory: created ${todo.length} Secrets in ${((performance.now() - t0) / 1000).toFixed(0)} s (${POOL} concurrent requests)`);
    created = total;
  };

  const env = benchEnv({ KUBECONFIG: cp.kubeconfigPath });
  const doctor = (): Sample => {
    const r = timeProcess(process.execPath, [pluginBin, 'doctor', '--inventory', '-A', '-o', 'json'], { env, maxBuffer: 512 << 20 });
    return { ms: r.ms, rssKiB: r.rssKiB, count: (JSON.parse(r.stdout) as { count: number }).count };
  };
  const kubectlGet = (): Sample => {
    const r = timeProcess(kubectl.path, ['get', 'secrets', '-A', '--field-selector', 'type=kubernetes.io/tls', '-o', 'json'], { env, maxBuffer: 1024 << 20 });
    return { ms: r.ms, rssKiB: r.rssKiB, count: (JSON.parse(r.stdout) as { items: unknown[] }).items.length };
  };

  const measured: Array<{ secrets: number; ours: ReturnType<typeof side>; peer: ReturnType<typeof side> }> = [];
  for (let k = 0; k < sizes.length; k++) {
    let total = sizes[k]!;
    if (createMsPerSecret && (total - created) * createMsPerSecret > createBudgetMs && total > 5000) {
      const est = ((total - created) * createMsPerSecret) / 1000;
      notes.push(`${total.toLocaleString('en')} Secrets not measured: creating them would take about ${est.toFixed(0)} s at the ${(1000 / createMsPerSecret).toFixed(0)} Secrets/s this machine managed (budget ${createBudgetMs / 1000} s), so the largest size is 5,000`);
      log(`inventory: ${notes.at(-1)}`);
      total = 5000;
      sizes = [...sizes.slice(0, k), total];
    }
    await createUpTo(total);
    const samples = (await interleave({ series: { doctor, kubectl: kubectlGet }, runs, warmup, label: `inventory ${total}` })) as { doctor: Sample[]; kubectl: Sample[] };
    for (const [who, xs] of Object.entries(samples)) {
      if (xs.some((s) => s.count !== total)) throw new Error(`expected ${total} Secrets, ${who} listed ${xs.map((s) => s.count).join(', ')}`);
    }
    measured.push({
      secrets: total,
      ours: side('doctor --inventory -A -o json', samples.doctor.map((s) => s.ms), samples.doctor.map((s) => s.rssKiB)),
      peer: side(`kubectl get secrets -A --field-selector type=kubernetes.io/tls -o json (${kubectl.version})`, samples.kubectl.map((s) => s.ms), samples.kubectl.map((s) => s.rssKiB)),
    });
  }

  const smallest = measured[0]!;
  const rows = measured.map((m) => {
    const growth = smallest.ours.rssKiB && m.ours.rssKiB ? m.ours.rssKiB / smallest.ours.rssKiB : null;
    const peerGrowth = smallest.peer.rssKiB && m.peer.rssKiB ? m.peer.rssKiB / smallest.peer.rssKiB : null;
    return row({
      key: `inventory-${m.secrets}`,
      measure: `inventory of ${m.secrets.toLocaleString('en')} TLS Secrets`,
      unit: 'ms',
      ours: m.ours,
      peer: m.peer,
      target: TARGET,
      note:
        m === smallest
          ? `smallest size: the memory baseline`
          : `peak RSS ×${fmt(growth)} of the ${smallest.secrets.toLocaleString('en')}-Secret run for doctor, ×${fmt(peerGrowth)} for kubectl (${(m.secrets / smallest.secrets).toFixed(0)}× the Secrets)`,
    });
  });
  for (const r of rows) console.log(`${r.measure}: doctor ${fmt(r.ours.median)} ms ${kib(r.ours.rssKiB)}, kubectl ${fmt(r.peer.median)} ms ${kib(r.peer.rssKiB)}: ${verdictText(r)}`);
  const at2000 = measured.find((m) => m.secrets === 2000);
  const abs = at2000 ? `2,000 Secrets in ${fmt(at2000.ours.median)} ms: ${at2000.ours.median < TARGET_MS ? 'meets' : 'MISSES'} the earlier absolute target (< ${TARGET_MS / 1000} s).` : '';

  const m = machine();
  writeReport(
    'inventory.md',
    [
      `# doctor --inventory -A vs kubectl get secrets: ${measured.map((x) => x.secrets.toLocaleString('en')).join(', ')} TLS Secrets`,
      '',
      `Written by \`npx tsx bench/inventory.ts\` on ${m.date}.`,
      '',
      `Node ${m.node}, ${m.nproc} CPUs (${m.cpuModel}), load average ${loadText(m.loadavg)} at the end (shared machine: compare ratios).`,
      `The harness's real kube-apiserver (${cp.version}) and etcd on loopback; Secrets spread over ${NAMESPACES} namespaces, each a leaf + intermediate (~3 KB). Created ${POOL} at a time.`,
      `Whole processes, ${runs} counted runs each after ${warmup} warm-up, interleaved; peak RSS is the largest of the counted runs (GNU time). kubectl: ${kubectl.path}.`,
      '',
      '| Secrets | doctor median ms | min | max | doctor peak RSS | kubectl median ms | min | max | kubectl peak RSS | ratio |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...measured.map((x) => `| ${x.secrets} | ${fmt(x.ours.median)} | ${fmt(x.ours.min)} | ${fmt(x.ours.max)} | ${kib(x.ours.rssKiB)} | ${fmt(x.peer.median)} | ${fmt(x.peer.min)} | ${fmt(x.peer.max)} | ${kib(x.peer.rssKiB)} | ${fmt(x.ours.median! / x.peer.median!)}× |`),
      '',
      ...rows.map((r) => `- ${r.measure}: ${verdictText(r)}; ${r.note}.`),
      ...(abs ? [`- ${abs}`] : []),
      ...notes.map((n) => `- ${n}.`),
      '',
    ].join('\n'),
  );
  writeResult(values.json, { name: 'inventory', runs, warmup, versions: { kubectl: kubectl.version, kubeApiserver: cp.version }, notes, rows, report: 'inventory.md' });
} finally {
  await cp.stop();
  await stopAll();
}
