// The Node server the HTTPS benches load: one tiny handler served over plain HTTP or HTTPS, so the
// two differ only in TLS. Forked with an IPC channel by bench/https-throughput.mjs and
// bench/handshake-cpu.mjs; it answers 'usage' messages with its own CPU time and peak RSS.
//
//   fork('bench/tls-server.mjs', [], { env: { BENCH_MODE: 'http' | 'https', BENCH_CERT, BENCH_KEY } })
import { readFileSync } from 'node:fs';
import { createServer as createHttp } from 'node:http';
import { createServer as createHttps } from 'node:https';

const body = Buffer.from('hello, world\n');
let requests = 0;
let handshakes = 0;
const handler = (_req, res) => {
  requests++;
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
  res.end(body);
};

const mode = process.env.BENCH_MODE ?? 'https';
const server =
  mode === 'http'
    ? createHttp(handler)
    : createHttps(
        {
          // The recommended configuration: TLS 1.3 only, the issued chain and its key as written.
          cert: readFileSync(process.env.BENCH_CERT),
          key: readFileSync(process.env.BENCH_KEY),
          minVersion: 'TLSv1.3',
        },
        handler,
      );
server.keepAliveTimeout = 30_000;
server.on('secureConnection', () => handshakes++);

function vmHwmKiB() {
  const m = /VmHWM:\s+(\d+)\s*kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : null;
}

process.on('message', (msg) => {
  if (msg === 'usage') {
    const cpu = process.cpuUsage();
    process.send({ cpuMicros: cpu.user + cpu.system, requests, handshakes, hwmKiB: vmHwmKiB() });
  } else if (msg === 'stop') {
    server.close();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
