// A real Debian nginx on loopback for endpoint tests and benchmarks: one process, one server
// block per scenario, each on its own free port, its own prefix directory, stopped by the harness.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { freePort, makeDir, spawnManaged, waitFor, type ManagedProcess } from '../harness/processes.js';

export interface NginxSite {
  name: string;
  certPem: string;
  keyPem: string;
  /** Directives inside the server block (ssl_protocols, ssl_ciphers, add_header …). */
  directives: string[];
}

export interface Nginx {
  ports: Record<string, number>;
  proc: ManagedProcess;
  stop(): Promise<void>;
}

export function nginxBinary(): string {
  for (const p of ['/usr/sbin/nginx', '/usr/bin/nginx']) if (spawnSync(p, ['-v']).status === 0) return p;
  throw new Error('nginx is not installed: run scripts/install-system-deps.sh (Debian package nginx)');
}

export async function startNginx(sites: NginxSite[]): Promise<Nginx> {
  const dir = makeDir('nginx');
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const ports: Record<string, number> = {};
  const blocks: string[] = [];
  for (const site of sites) {
    const port = await freePort();
    ports[site.name] = port;
    writeFileSync(join(dir, `${site.name}.crt`), site.certPem);
    writeFileSync(join(dir, `${site.name}.key`), site.keyPem, { mode: 0o600 });
    blocks.push(`  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${join(dir, `${site.name}.crt`)};
    ssl_certificate_key ${join(dir, `${site.name}.key`)};
${site.directives.map((d) => `    ${d};`).join('\n')}
    location / { return 200 "ok\\n"; }
  }`);
  }
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 1;
error_log ${join(dir, 'logs', 'error.log')} warn;
pid ${join(dir, 'nginx.pid')};
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp; proxy_temp_path ${dir}/tmp; fastcgi_temp_path ${dir}/tmp; uwsgi_temp_path ${dir}/tmp; scgi_temp_path ${dir}/tmp;
${blocks.join('\n')}
}
`,
  );
  const proc = spawnManaged({ name: 'nginx', command: nginxBinary(), args: ['-p', dir, '-c', conf, '-g', 'daemon off;'] });
  for (const port of Object.values(ports)) {
    await waitFor(
      () =>
        new Promise<boolean>((resolve) => {
          const s = net.connect({ host: '127.0.0.1', port }, () => (s.destroy(), resolve(true)));
          s.on('error', () => resolve(false));
        }),
      { what: `nginx on 127.0.0.1:${port}`, proc, timeoutMs: 20_000 },
    );
  }
  return { ports, proc, stop: () => proc.stop() };
}

export interface SslscanResult {
  protocols: Record<string, boolean>;
  /** `TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256`, protocol names as Node reports them (TLSv1 for 1.0). */
  ciphers: Set<string>;
}

/** Runs sslscan and reads its XML: accepted protocols and cipher suites. */
export function sslscan(port: number, sni?: string): SslscanResult {
  const args = ['--no-colour', '--xml=-', ...(sni ? [`--sni-name=${sni}`] : []), `127.0.0.1:${port}`];
  const r = spawnSync('sslscan', args, { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`sslscan failed (${r.status}): ${r.stderr}`);
  const protocols: Record<string, boolean> = {};
  for (const m of r.stdout.matchAll(/<protocol type="tls" version="([\d.]+)" enabled="(\d)"/g)) protocols[m[1] === '1.0' ? 'TLSv1' : `TLSv${m[1]}`] = m[2] === '1';
  const ciphers = new Set<string>();
  for (const m of r.stdout.matchAll(/<cipher status="\w+" sslversion="(TLSv[\d.]+)"[^>]* cipher="([^"]+)"/g)) ciphers.add(`${m[1] === 'TLSv1.0' ? 'TLSv1' : m[1]} ${m[2]}`);
  return { protocols, ciphers };
}
