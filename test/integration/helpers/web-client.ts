/** A real web-mode server in a scratch folder, and a client that speaks its protocol the way the page does. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { WebSocket } from 'ws';
import { createService, type Service, type ServiceOptions } from '@engine/service';
import { startWebServer, type WebLimits, type WebServer } from '../../../src/main/web/server';

const repoRoot = resolve(import.meta.dirname, '../../..');

/** What a client needs to reach a web-mode server (in this process or a `serve` child). */
export interface Endpoint {
  web: { port: number; token: string };
  origin: string;
}

export interface TestServer extends Endpoint {
  dir: string;
  uploadDir: string;
  service: Service;
  web: WebServer;
  origin: string;
  stop(): Promise<void>;
}

export async function startTestServer(
  options: { limits?: Partial<WebLimits>; service?: Partial<ServiceOptions>; uploadDir?: string } = {},
): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'kl-web-'));
  await mkdir(join(dir, 'renderer/assets'), { recursive: true });
  await writeFile(join(dir, 'renderer/index.html'), '<!doctype html><title>ok</title>');
  await writeFile(join(dir, 'renderer/assets/app.js'), 'console.log(1)');
  const service = createService({ mode: 'web', dataDir: join(dir, 'data'), ...options.service });
  const uploadDir = options.uploadDir ?? join(dir, 'data/uploads');
  const web = await startWebServer({ service, rendererDir: join(dir, 'renderer'), uploadDir, limits: options.limits });
  return {
    dir,
    uploadDir,
    service,
    web,
    origin: `http://127.0.0.1:${web.port}`,
    async stop() {
      await web.close();
      await service.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface Reply {
  id: number | null;
  result: { ok: boolean; value?: unknown; error?: { code: string; message: string } };
}

export interface PageClient {
  ws: WebSocket;
  page: string;
  call(method: string, params?: unknown): Promise<Reply['result']>;
  /** engine events pushed to this page, in order */
  events: Array<{ kind: string; jobId?: string }>;
  /** the next reply no `call` is waiting for (events skipped) */
  next(): Promise<Reply>;
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

export function openSocket(server: Endpoint, origin = server.origin): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.web.port}/api`, { headers: { Origin: origin }, maxPayload: 256 * 1024 * 1024 });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** Connects, sends the token first as the page does, and waits for `ready`. */
export async function openPage(server: Endpoint): Promise<PageClient> {
  const ws = await openSocket(server);
  /** replies nobody asked for by id (answers to raw sends, bad-message errors) */
  const unclaimed: Reply[] = [];
  const waiting: Array<(reply: Reply) => void> = [];
  const calls = new Map<number, (reply: Reply) => void>();
  const events: PageClient['events'] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const ready = new Promise<string>((resolve, reject) => {
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { ready?: { page: string }; event?: PageClient['events'][number] } & Reply;
      if (message.ready) return resolve(message.ready.page);
      if (message.event) return void events.push(message.event);
      const call = typeof message.id === 'number' ? calls.get(message.id) : undefined;
      if (call) {
        calls.delete(message.id!);
        return call(message);
      }
      const waiter = waiting.shift();
      if (waiter) waiter(message);
      else unclaimed.push(message);
    });
    void closed.then(({ code, reason }) => reject(new Error(`closed ${code} ${reason}`)));
  });
  ws.send(JSON.stringify({ token: server.web.token }));
  const page = await ready;
  /** ids of `call` start high so they never meet the ids a test sends by hand */
  let nextId = 1_000_000;
  return {
    ws,
    page,
    closed,
    events,
    next: () => new Promise<Reply>((resolve) => (unclaimed.length ? resolve(unclaimed.shift()!) : waiting.push(resolve))),
    async call(method, params = {}) {
      const id = nextId++;
      const reply = new Promise<Reply>((resolve) => calls.set(id, resolve));
      ws.send(JSON.stringify({ id, method, params }));
      return (await reply).result;
    },
    async close() {
      ws.close();
      await closed;
    },
  };
}

/** A raw HTTP request, so tests control every header. */
export function httpRequest(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string | number>; body?: Buffer | string } = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { Host: `127.0.0.1:${port}`, ...options.headers } },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Uploads bytes for a page; resolves with the status and the parsed body when it is JSON. */
export async function upload(
  server: Endpoint,
  page: string,
  name: string,
  content: Buffer | string,
): Promise<{ status: number; body: string; handle?: string }> {
  const reply = await httpRequest(
    server.web.port,
    `/t/${server.web.token}/upload?page=${encodeURIComponent(page)}&name=${encodeURIComponent(name)}`,
    { method: 'POST', headers: { 'Content-Length': Buffer.byteLength(content) }, body: content },
  );
  return reply.status === 200 ? { ...reply, handle: (JSON.parse(reply.body) as { path: string }).path } : reply;
}

/** The server still serves a page and answers a call: what every attack test checks after the attack. */
export async function stillAnswers(server: Endpoint): Promise<boolean> {
  const page = await httpRequest(server.web.port, `/t/${server.web.token}/`);
  if (page.status !== 200) return false;
  const client = await openPage(server);
  const info = await client.call('app.getInfo');
  await client.close();
  return info.ok;
}

export interface ServeChild extends Endpoint {
  child: ChildProcess;
  /** everything it printed */
  output(): string;
  stop(): Promise<number | null>;
}

/** Runs `keepalive-lab serve` as a separate process (so a crash shows as its exit) with a scratch UI folder. */
export async function startServeChild(args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<ServeChild> {
  const rendererDir = await mkdtemp(join(tmpdir(), 'kl-ui-'));
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>ok</title>');
  const child = spawn(process.execPath, [join(repoRoot, 'bin/keepalive-lab.mjs'), 'serve', '--renderer-dir', rendererDir, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL in 30 s: ${out}`)), 30_000);
    const look = () => {
      const found = /Keepalive Lab at http:\/\/127\.0\.0\.1:(\d+)\/t\/([\w-]+)\//.exec(out);
      if (found && out.includes('\n', found.index + found[0].length)) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stdout!.on('data', look);
    void exited.then((code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
  const port = Number(match[1]);
  return {
    child,
    web: { port, token: match[2]! },
    origin: `http://127.0.0.1:${port}`,
    output: () => out,
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      const code = await exited;
      await rm(rendererDir, { recursive: true, force: true });
      return code;
    },
  };
}
