// A real authoritative DNS server for tests: Debian's BIND9 `named` in the foreground on a loopback
// port, primary for one zone, accepting RFC2136 updates signed with a TSIG key made per run.
// Every name in the zone resolves to 127.0.0.1 (wildcard A) so Pebble's HTTP-01 checks reach loopback.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, makeDir, spawnManaged, waitFor, type ManagedProcess } from './processes.js';

export interface TsigKey {
  /** Key name with trailing dot, e.g. `vibectl-tls-harness.` */
  name: string;
  algorithm: 'hmac-sha256';
  /** Base64 secret. */
  secret: string;
  /** BIND `key { … }` file (for `nsupdate -k`). */
  keyFile: string;
  /** File holding only the base64 secret (for `--tsig-secret-file`). */
  secretFile: string;
}

export interface DnsServer {
  address: '127.0.0.1';
  port: number;
  /** `127.0.0.1:<port>` */
  hostPort: string;
  zone: string;
  tsig: TsigKey;
  /** Answers from this server only: TXT records joined per record, A/AAAA as addresses; [] when the name or type has none. */
  query(name: string, type: 'A' | 'AAAA' | 'TXT' | 'CNAME' | 'NS' | 'SOA'): Promise<string[]>;
  /** Runs Debian's `nsupdate` against this server with `commands` (no `server`/`send` needed), signed with `key` (default: the right one). */
  nsupdate(commands: string[], key?: { name: string; secret: string; algorithm?: string }): Promise<{ code: number; stdout: string; stderr: string }>;
  process: ManagedProcess;
  stop(): Promise<void>;
}

export interface DnsOptions {
  /** Zone, with trailing dot (default `example.test.`). */
  zone?: string;
  /** Address the zone's wildcard A record points at (default 127.0.0.1); null for none. */
  wildcardA?: string | null;
  /** Extra zone-file lines, relative to the zone origin (e.g. `www 60 IN TXT "x"`). */
  records?: string[];
  startTimeoutMs?: number;
}

const NAMED_PATHS = ['/usr/sbin/named', '/usr/bin/named'];

export async function startDns(opts: DnsOptions = {}): Promise<DnsServer> {
  const named = NAMED_PATHS.find((p) => existsSync(p));
  if (!named) throw new Error('BIND9 `named` is not installed: run `bash scripts/install-system-deps.sh` (Debian package bind9)');
  const zone = (opts.zone ?? 'example.test.').replace(/\.?$/, '.');
  const dir = makeDir('dns');
  const port = await freePort({ udp: true });
  const tsigName = 'vibectl-tls-harness.';
  const secret = randomBytes(32).toString('base64');
  const keyFile = join(dir, 'tsig.key');
  const secretFile = join(dir, 'tsig.secret');
  const keyBlock = `key "${tsigName}" {\n  algorithm hmac-sha256;\n  secret "${secret}";\n};\n`;
  writeFileSync(keyFile, keyBlock, { mode: 0o600 });
  writeFileSync(secretFile, secret + '\n', { mode: 0o600 });

  const wildcard = opts.wildcardA === undefined ? '127.0.0.1' : opts.wildcardA;
  writeFileSync(
    join(dir, 'zone.db'),
    [
      `$ORIGIN ${zone}`,
      '$TTL 5',
      `@ IN SOA ns1.${zone} hostmaster.${zone} 1 60 60 600 5`,
      `@ IN NS ns1.${zone}`,
      'ns1 IN A 127.0.0.1',
      ...(wildcard ? [`* IN A ${wildcard}`] : []),
      ...(opts.records ?? []),
      '',
    ].join('\n'),
  );
  const conf = join(dir, 'named.conf');
  writeFileSync(
    conf,
    `options {
  directory "${dir}";
  pid-file "${join(dir, 'named.pid')}";
  session-keyfile "${join(dir, 'session.key')}";
  managed-keys-directory "${dir}";
  listen-on port ${port} { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion no;
  allow-query { any; };
  dnssec-validation no;
  notify no;
};
controls { };
${keyBlock}
zone "${zone}" {
  type primary;
  file "${join(dir, 'zone.db')}";
  journal "${join(dir, 'zone.db.jnl')}";
  allow-update { key "${tsigName}"; };
};
`,
  );
  // -g: foreground, log to stderr; -4: IPv4 only; -n 1: one worker thread is plenty for tests.
  const proc = spawnManaged({ name: 'named', command: named, args: ['-g', '-4', '-n', '1', '-c', conf] });

  const resolver = new Resolver({ timeout: 1_000, tries: 2 });
  resolver.setServers([`127.0.0.1:${port}`]);
  const query = async (name: string, type: 'A' | 'AAAA' | 'TXT' | 'CNAME' | 'NS' | 'SOA'): Promise<string[]> => {
    try {
      if (type === 'TXT') return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''));
      if (type === 'SOA') {
        const soa = await resolver.resolveSoa(name);
        return [`${soa.nsname} ${soa.hostmaster} ${soa.serial}`];
      }
      return (await resolver.resolve(name, type)) as string[];
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'ENODATA' || code === 'ENOTFOUND') return [];
      throw err;
    }
  };
  await waitFor(async () => (await query(zone, 'SOA')).length > 0, { what: `named serving ${zone} on 127.0.0.1:${port}`, proc, timeoutMs: opts.startTimeoutMs ?? 30_000 });

  const tsig: TsigKey = { name: tsigName, algorithm: 'hmac-sha256', secret, keyFile, secretFile };
  return {
    address: '127.0.0.1',
    port,
    hostPort: `127.0.0.1:${port}`,
    zone,
    tsig,
    query,
    nsupdate: (commands, key = tsig) =>
      runNsupdate({ script: [`server 127.0.0.1 ${port}`, `zone ${zone}`, ...commands, 'send', ''].join('\n'), key: `${key.algorithm ?? 'hmac-sha256'}:${key.name}:${key.secret}` }),
    process: proc,
    stop: () => proc.stop(),
  };
}

function runNsupdate(o: { script: string; key: string }): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('nsupdate', ['-y', o.key], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run nsupdate (Debian package bind9-dnsutils): ${err.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(o.script);
  });
}
