// The plugin's own version, read from package.json next to dist/ without importing anything heavy.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** Set by the bundler for the self-contained binary, which has no package.json beside it. */
declare const __VIBECTL_TLS_VERSION__: string | undefined;

export function pluginVersion(): string {
  if (typeof __VIBECTL_TLS_VERSION__ === 'string') return __VIBECTL_TLS_VERSION__;
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, '..', '..', 'package.json'), join(here, '..', 'package.json')]) {
    try {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'vibectl-tls' && pkg.version) return pkg.version;
    } catch {
      // try the next location
    }
  }
  return '0.0.0-unknown';
}
