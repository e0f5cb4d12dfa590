/**
 * A reference server nobody here wrote: nginx on a free loopback port, from a
 * temp config (single process, no daemon, every path in a temp dir), so the lab's
 * numbers can be checked against a real server. Used by the tests and the bench.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const NGINX_BINARY = '/usr/sbin/nginx';
/** ms to wait for nginx to accept connections */
const START_TIMEOUT_MS = 10_000;

export interface NginxServer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

export function nginxAvailable(binary = NGINX_BINARY): boolean {
  return existsSync(binary);
}

/** A port that was free a moment ago (nginx must bind it itself). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** TLS for nginx: the lab's certificate (tls-certificate.ts), and HTTP/2 over it (ALPN "h2") when asked. */
export interface NginxTls {
  cert: string;
  key: string;
  http2: boolean;
}

function listen(dir: string, port: number, tls: NginxTls | null): string {
  if (!tls) return `listen 127.0.0.1:${port};`;
  // nginx 1.22 (Debian 12) spells HTTP/2 as a listen parameter
  return `listen 127.0.0.1:${port} ssl${tls.http2 ? ' http2' : ''};
    ssl_certificate ${dir}/cert.pem;
    ssl_certificate_key ${dir}/key.pem;`;
}

function config(dir: string, port: number, keepaliveTimeoutS: number, tls: NginxTls | null = null): string {
  return `daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events {}
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_timeout ${keepaliveTimeoutS}s;
  server {
    ${listen(dir, port, tls)}
    location / { return 200 "hello\\n"; }
  }
}
`;
}

async function waitForPort(port: number, child: ChildProcess, deadline: number): Promise<void> {
  // Bounded by the deadline; each try is one loopback connect.
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nginx exited with code ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nginx did not listen on 127.0.0.1:${port} within ${START_TIMEOUT_MS} ms`);
}

export async function startNginx(options: { keepaliveTimeoutS?: number; binary?: string; tls?: NginxTls } = {}): Promise<NginxServer> {
  const binary = options.binary ?? NGINX_BINARY;
  if (!nginxAvailable(binary)) throw new Error(`${binary} not found (apt-get install nginx-light)`);
  const dir = await mkdtemp(path.join(tmpdir(), 'keepalive-lab-nginx-'));
  const port = await freePort();
  const confPath = path.join(dir, 'nginx.conf');
  if (options.tls) {
    await writeFile(path.join(dir, 'cert.pem'), options.tls.cert);
    await writeFile(path.join(dir, 'key.pem'), options.tls.key, { mode: 0o600 });
  }
  await writeFile(confPath, config(dir, port, options.keepaliveTimeoutS ?? 2, options.tls ?? null));
  const child = spawn(binary, ['-c', confPath, '-p', dir, '-e', path.join(dir, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    await waitForPort(port, child, Date.now() + START_TIMEOUT_MS);
  } catch (error) {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}${stderr ? `: ${stderr.trim()}` : ''}`, { cause: error });
  }
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/`,
    port,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
