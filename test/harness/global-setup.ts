// Integration suites need the control-plane binaries; build them (incremental) before any test.
import { spawnSync } from 'node:child_process';

export default function setup(): void {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.status !== 0) {
    throw new Error('Go is not installed: the integration suite builds kube-apiserver, etcd, cert-manager and Pebble from Go modules. Install Go >= 1.26 and run again.');
  }
  const r = spawnSync('bash', ['test/harness/build.sh'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`test/harness/build.sh failed (exit ${r.status})`);
}
