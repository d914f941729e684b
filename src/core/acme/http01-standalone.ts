// HTTP-01 answered by this process: a small HTTP server on --http-port serving the tokens of
// the current order. For hosts where port 80 (or a forward to it) reaches us directly.
import { createServer, type Server } from 'node:http';
import { ExternalServiceError } from '../errors.js';
import { waitForHttp01 } from './http01-check.js';
import { http01Path, type ChallengeSolver, type ChallengeTask } from './solver.js';

export interface StandaloneOptions {
  port: number;
  /** Listen address; default all interfaces. */
  host?: string;
  /** Port the CA connects to, for the self-check; default 80. */
  checkPort?: number;
  resolve?: (name: string) => Promise<string[]>;
}

export class StandaloneHttp01Solver implements ChallengeSolver {
  readonly type = 'http-01' as const;
  readonly description: string;
  readonly #o: StandaloneOptions;
  readonly #tokens = new Map<string, string>();
  #server: Server | undefined;
  /** Requests served, for tests and --verbose. */
  readonly served: string[] = [];

  constructor(options: StandaloneOptions) {
    this.#o = options;
    this.description = `standalone HTTP-01 server on port ${options.port}`;
  }

  async start(): Promise<number> {
    const server = createServer((req, res) => {
      const prefix = '/.well-known/acme-challenge/';
      const url = (req.url ?? '').split('?')[0] ?? '';
      const token = url.startsWith(prefix) ? url.slice(prefix.length) : undefined;
      const body = token ? this.#tokens.get(token) : undefined;
      this.served.push(`${req.method ?? 'GET'} ${url} ${body ? 200 : 404}`);
      if (!body) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        reject(
          new ExternalServiceError(
            err.code === 'EACCES'
              ? `cannot listen on port ${this.#o.port}: ports below 1024 need root or CAP_NET_BIND_SERVICE`
              : err.code === 'EADDRINUSE'
                ? `port ${this.#o.port} is already in use (a web server?)`
                : `cannot listen on port ${this.#o.port}: ${err.message}`,
            { hint: 'pass another --http-port and forward port 80 to it, or stop the program holding the port' },
          ),
        );
      });
      server.listen(this.#o.port, this.#o.host, () => resolve());
    });
    this.#server = server;
    const addr = server.address();
    return typeof addr === 'object' && addr ? addr.port : this.#o.port;
  }

  async present(task: ChallengeTask): Promise<void> {
    if (!this.#server) await this.start();
    this.#tokens.set(task.token, task.keyAuthorization);
  }

  async selfCheck(task: ChallengeTask, options: { timeoutMs: number }): Promise<void> {
    await waitForHttp01({
      domain: task.domain,
      token: task.token,
      keyAuthorization: task.keyAuthorization,
      port: this.#o.checkPort ?? 80,
      timeoutMs: options.timeoutMs,
      ...(this.#o.resolve ? { resolve: this.#o.resolve } : {}),
    });
  }

  async cleanup(task: ChallengeTask): Promise<void> {
    this.#tokens.delete(task.token);
  }

  async close(): Promise<void> {
    const s = this.#server;
    this.#server = undefined;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  get path(): (token: string) => string {
    return http01Path;
  }
}
