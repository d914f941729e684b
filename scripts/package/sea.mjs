// Builds one single-executable application: the target's Node binary with the bundle injected
// (`node --build-sea`, Node ≥ 25.8, ESM main). The building Node must be the same version as the
// target's; it writes Mach-O, PE and ELF alike, so every target can be built on any host.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function has(cmd, args = ['--version']) {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

/**
 * options: { hostNode, targetNode, target, main, output, work, sameAsHost, log }
 * Returns { stripped, signed, codeCache }.
 */
export function buildSea(options) {
  const { hostNode, targetNode, target, main, output, work, sameAsHost, log = () => {} } = options;
  const base = join(work, `node-${target.id}${target.exe}`);
  copyFileSync(targetNode, base);
  chmodSync(base, 0o755);
  let stripped = false;
  if (target.os === 'linux' && process.platform === 'linux') {
    // Official Linux builds carry ~30 MB of symbols. strip reads only the host's ELF flavour; a
    // cross strip (binutils-aarch64-linux-gnu) handles arm64 on an x86 host.
    const strips = target.arch === 'arm64' ? ['strip', 'aarch64-linux-gnu-strip'] : ['strip', 'x86_64-linux-gnu-strip'];
    stripped = strips.some((s) => has(s) && spawnSync(s, [base], { stdio: 'ignore' }).status === 0);
    if (!stripped) log(`  (${target.id}: no strip here reads this binary; left unstripped)`);
  }
  const onMac = process.platform === 'darwin';
  if (target.os === 'darwin' && onMac) execFileSync('codesign', ['--remove-signature', base], { stdio: 'inherit' });
  const config = join(work, `sea-${target.id}.json`);
  // Code cache is V8-version *and* platform specific: only when the target is this machine.
  const codeCache = Boolean(sameAsHost);
  writeFileSync(
    config,
    JSON.stringify({ main, mainFormat: 'module', executable: base, output, disableExperimentalSEAWarning: true, useCodeCache: codeCache, useSnapshot: false,
      // tr46 (under @kubernetes/client-node) requires the punycode builtin, deprecated at runtime since Node 21.
      execArgv: ['--disable-warning=DEP0040'] }, null, 2),
  );
  rmSync(output, { force: true });
  execFileSync(hostNode, ['--build-sea', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  rmSync(base, { force: true });
  let signed = false;
  if (target.os === 'darwin' && onMac) {
    // Apple silicon refuses to run unsigned code: ad-hoc signing ("-") unless a Developer ID
    // identity is given (the release workflow passes one when the secret is set).
    const identity = process.env.MACOS_SIGN_IDENTITY || '-';
    const args = ['--sign', identity, '--force'];
    if (identity !== '-') args.push('--options', 'runtime', '--timestamp', '--entitlements', new URL('./entitlements.plist', import.meta.url).pathname);
    execFileSync('codesign', [...args, output], { stdio: 'inherit' });
    signed = true;
  }
  return { stripped, signed, codeCache };
}

export { has };
