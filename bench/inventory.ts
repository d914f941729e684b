// `doctor --inventory -A` over 2,000 kubernetes.io/tls Secrets on the harness's real
// kube-apiserver: wall time of the whole process and its peak RSS, at 500 and at 2,000 Secrets
// (paging keeps memory flat: the second figure should not be four times the first).
//
//   npx tsx bench/inventory.ts [--runs 5]
//
// Writes bench/results/inventory.md. Target (issue 8): 2,000 Secrets in under 5 s.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { startControlPlane, stopAll } from '../test/harness/index.js';
import { makePki, tlsSecretData } from '../test/support/doctor-pki.js';
import { path, R } from '../src/core/kube/paths.js';
import { mapPool } from '../src/core/checks/framework.js';

const root = join(import.meta.dirname, '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Math.max(3, Number(values.runs));
const TARGET_MS = 5000;
const NAMESPACES = 20;

if (!existsSync(join(root, 'dist', 'commands', 'doctor.js'))) {
  process.stderr.write('dist/ has no doctor command; running npm run build\n');
  if (spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
}

const cp = await startControlPlane();
try {
  const kube = await cp.client('admin');
  const pki = await makePki('Inventory Bench');
  const certs = await Promise.all(
    Array.from({ length: 40 }, (_, i) => pki.leaf({ cn: `svc${i}.bench.test`, dnsNames: [`svc${i}.bench.test`, `alt${i}.bench.test`], notAfter: new Date(Date.now() + (5 + i * 3) * 86_400_000) })),
  );
  for (let n = 0; n < NAMESPACES; n++) await kube.create(path(R.namespaces), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `inv-${n}` } });

  let created = 0;
  const createUpTo = async (total: number) => {
    const todo = Array.from({ length: total - created }, (_, k) => created + k);
    await mapPool(todo, 16, async (i) => {
      const c = certs[i % certs.length]!;
      await kube.create(path(R.secrets, { namespace: `inv-${i % NAMESPACES}` }), {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'kubernetes.io/tls',
        metadata: { name: `tls-${i}` },
        data: tlsSecretData({ cert: c.certPem + pki.intermediate.certPem, key: c.keyPem }),
      } as never);
    });
    created = total;
  };

  const bin = join(root, 'bin', 'kubectl-vibectl_tls');
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', KUBECONFIG: cp.kubeconfigPath };
  delete env.NODE_OPTIONS;
  const once = () => {
    const t0 = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, bin, 'doctor', '--inventory', '-A', '-o', 'json'], { env, encoding: 'utf8', maxBuffer: 64 << 20 });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`doctor --inventory exited ${r.status}: ${r.stderr}`);
    const count = (JSON.parse(r.stdout) as { count: number }).count;
    const rssKiB = Number(r.stderr.trim().split('\n').pop());
    return { ms, count, rssKiB };
  };
  const median = (a: number[]) => {
    const s = [...a].sort((x, y) => x - y);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  };
  const rows: Array<{ secrets: number; ms: number; min: number; max: number; rss: number }> = [];
  for (const total of [500, 2000]) {
    await createUpTo(total);
    once(); // warm-up
    const samples = Array.from({ length: runs }, once);
    if (samples.some((s) => s.count !== total)) throw new Error(`expected ${total} Secrets, doctor listed ${samples.map((s) => s.count).join(', ')}`);
    rows.push({ secrets: total, ms: median(samples.map((s) => s.ms)), min: Math.min(...samples.map((s) => s.ms)), max: Math.max(...samples.map((s) => s.ms)), rss: median(samples.map((s) => s.rssKiB)) });
  }
  const at2000 = rows.find((r) => r.secrets === 2000)!;
  const verdict = `${at2000.ms < TARGET_MS ? 'meets' : 'MISSES'} the target (< ${TARGET_MS / 1000} s for 2,000 Secrets)`;
  for (const r of rows) console.log(`${String(r.secrets).padStart(5)} Secrets: ${r.ms.toFixed(0)} ms (min ${r.min.toFixed(0)}, max ${r.max.toFixed(0)}), peak RSS ${(r.rss / 1024).toFixed(0)} MiB`);
  console.log(verdict);
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(
    join(root, 'bench', 'results', 'inventory.md'),
    [
      '# doctor --inventory -A: 500 and 2,000 TLS Secrets',
      '',
      `Written by \`npx tsx bench/inventory.ts\` on ${new Date().toISOString()}.`,
      '',
      `Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' / ')} at the end (shared machine).`,
      `The harness's real kube-apiserver (${cp.version}) and etcd on loopback; Secrets spread over ${NAMESPACES} namespaces, each a leaf + intermediate.`,
      `Whole process (\`doctor --inventory -A -o json\`), ${runs} counted runs after one warm-up; peak RSS from /usr/bin/time.`,
      '',
      '| Secrets | median ms | min ms | max ms | peak RSS MiB |',
      '|---:|---:|---:|---:|---:|',
      ...rows.map((r) => `| ${r.secrets} | ${r.ms.toFixed(0)} | ${r.min.toFixed(0)} | ${r.max.toFixed(0)} | ${(r.rss / 1024).toFixed(0)} |`),
      '',
      `2,000 Secrets: ${verdict}.`,
      '',
    ].join('\n'),
  );
} finally {
  await cp.stop();
  await stopAll();
}
