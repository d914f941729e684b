// Where the upstream programs built by test/harness/build.sh live: reads the cache's manifest.json.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface BuiltProgram {
  path: string;
  version: string;
}

export type ProgramName = 'kube-apiserver' | 'kubectl' | 'etcd' | 'pebble' | 'pebble-challtestsrv' | 'cert-manager-controller' | 'krew';

export interface HarnessManifest {
  programs: Partial<Record<ProgramName, BuiltProgram>> & Record<string, BuiltProgram | undefined>;
  /** Directory of the cert-manager CRD YAML files (from the pinned cert-manager module). */
  certManagerCRDs: string | undefined;
  file: string;
}

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.VIBECTL_TLS_CACHE ?? join(homedir(), '.cache', 'vibectl-tls');
}

export function loadManifest(env: NodeJS.ProcessEnv = process.env): HarnessManifest {
  const file = join(cacheDir(env), 'bin', 'manifest.json');
  if (!existsSync(file)) {
    throw new Error(`the harness programs are not built (${file} is missing): run \`npm run harness:build\``);
  }
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`cannot read ${file} (${(err as Error).message}): run \`npm run harness:build\` again`);
  }
  const programs: HarnessManifest['programs'] = {};
  let certManagerCRDs: string | undefined;
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'certManagerCRDs' && typeof v === 'string') certManagerCRDs = v;
    else if (v && typeof v === 'object' && 'path' in v) programs[k] = v as BuiltProgram;
  }
  return { programs, certManagerCRDs, file };
}

/** The built program, or a clear error naming the build command. */
export function program(name: ProgramName, manifest: HarnessManifest = loadManifest()): BuiltProgram {
  const p = manifest.programs[name];
  if (!p || !existsSync(p.path)) {
    throw new Error(`${name} is not built (not in ${manifest.file}${p ? ` or ${p.path} is missing` : ''}): run \`npm run harness:build\``);
  }
  return p;
}

export function certManagerCrdDir(manifest: HarnessManifest = loadManifest()): string {
  const dir = manifest.certManagerCRDs;
  if (!dir || !existsSync(dir)) {
    throw new Error(`the cert-manager CRD directory is not known (certManagerCRDs in ${manifest.file}): run \`npm run harness:build\``);
  }
  return dir;
}
