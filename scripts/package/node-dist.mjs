// Fetches the Node.js binary of a target from its npm package (the ordinary `npm pack`, which
// checks the registry's integrity hash) into a cache outside the repository:
//   ${VIBECTL_TLS_CACHE:-~/.cache/vibectl-tls}/node/<version>/<package>/<bin/node[.exe]>
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function cacheRoot() {
  return process.env.VIBECTL_TLS_CACHE || join(homedir(), '.cache', 'vibectl-tls');
}

export function nodeBinary(target, version, log = () => {}) {
  const dir = join(cacheRoot(), 'node', version, target.node);
  const bin = join(dir, target.nodeBin);
  if (existsSync(bin)) return bin;
  const dl = join(cacheRoot(), 'node', 'dl');
  mkdirSync(dl, { recursive: true });
  const tgz = join(dl, `${target.node}-${version}.tgz`);
  if (!existsSync(tgz)) {
    log(`fetching ${target.node}@${version} from npm`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    execFileSync(npm, ['pack', `${target.node}@${version}`, '--pack-destination', dl, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'], shell: process.platform === 'win32' });
  }
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  execFileSync('tar', ['-xzf', tgz, '-C', tmp, `package/${target.nodeBin}`], { stdio: 'inherit' });
  rmSync(dir, { recursive: true, force: true });
  renameSync(join(tmp, 'package'), dir);
  rmSync(tmp, { recursive: true, force: true });
  if (!existsSync(bin)) throw new Error(`${target.node}@${version}: no ${target.nodeBin} in the package (has: ${readdirSync(dir).join(', ')})`);
  return bin;
}
