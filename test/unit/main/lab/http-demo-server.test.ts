import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpServerConfigSchema, type HttpServerConfig } from '@shared/api-http';
import { startDemoHttpServer, type DemoHttpServer } from '@engine/lab/demo-http-server';
import { countOwnSocketsTo } from '@engine/lab/http-open-sockets';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(config: Partial<HttpServerConfig>): Promise<DemoHttpServer> {
  const server = await startDemoHttpServer(HttpServerConfigSchema.parse(config));
  cleanups.push(() => server.close());
  return server;
}

function keptAgent(): http.Agent {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  cleanups.push(() => agent.destroy());
  return agent;
}

function get(
  url: string,
  agent: http.Agent,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks), reused: request.reusedSocket }),
      );
    });
    request.on('error', reject);
  });
}

describe('startDemoHttpServer', () => {
  it('serves bodyBytes with Content-Length and a Keep-Alive hint, and records the serving socket', async () => {
    const server = await serve({ bodyBytes: 3000, keepAliveTimeoutMs: 5000 });
    const agent = keptAgent();
    const first = await get(server.url, agent);
    const second = await get(server.url, agent);
    expect(first.status).toBe(200);
    expect(first.body.length).toBe(3000);
    expect(first.headers['content-length']).toBe('3000');
    expect(first.headers['keep-alive']).toBe('timeout=5');
    expect(second.reused).toBe(true);
    expect(server.served.map((request) => [request.socket, request.reused])).toEqual([
      ['s1', false],
      ['s1', true],
    ]);
  });

  it('chunked bodies with a delay between chunks arrive whole', async () => {
    const server = await serve({ bodyBytes: 10_000, chunked: true, chunkBytes: 4000, chunkDelayMs: 5 });
    const response = await get(server.url, keptAgent());
    expect(response.headers['transfer-encoding']).toBe('chunked');
    expect(response.headers['content-length']).toBeUndefined();
    expect(response.body.length).toBe(10_000);
  });

  it('answers every Nth response with Connection: close, which costs a new connection', async () => {
    const server = await serve({ closeEveryNth: 2 });
    const agent = keptAgent();
    const responses = [];
    for (let index = 0; index < 3; index += 1) responses.push(await get(server.url, agent));
    expect(responses.map((response) => response.headers.connection)).toEqual(['keep-alive', 'close', 'keep-alive']);
    expect(server.served.map((request) => request.action)).toEqual(['answered', 'answered-and-closed', 'answered']);
    expect(server.served.map((request) => request.socket)).toEqual(['s1', 's1', 's2']);
  });

  it('without a hint, sends no Keep-Alive header', async () => {
    const server = await serve({ keepAliveHint: false });
    const response = await get(server.url, keptAgent());
    expect(response.headers['keep-alive']).toBeUndefined();
  });

  it('closes an idle connection after keepAliveTimeoutMs (FIN seen by a raw client)', async () => {
    const server = await serve({ keepAliveTimeoutMs: 100, bodyBytes: 2 });
    const socket = net.connect(server.port, '127.0.0.1');
    cleanups.push(() => void socket.destroy());
    const started = Date.now();
    const ended = new Promise<number>((resolve) => socket.on('end', () => resolve(Date.now() - started)));
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    socket.resume();
    const idleMs = await ended;
    expect(idleMs).toBeGreaterThanOrEqual(90);
    expect(idleMs).toBeLessThan(5000);
  });

  it('race mode closes a reused, idle-expired connection when the request arrives, without answering', async () => {
    const server = await serve({ keepAliveTimeoutMs: 50, keepAliveHint: false, staleRace: 'fin' });
    const agent = keptAgent();
    await get(server.url, agent);
    await new Promise((resolve) => setTimeout(resolve, 120));
    const failure = await get(server.url, agent).then(
      () => null,
      (error: NodeJS.ErrnoException) => error,
    );
    expect(failure?.code).toBe('ECONNRESET');
    expect(failure?.message).toBe('socket hang up');
    expect(server.served.map((request) => request.action)).toEqual(['answered', 'race-closed']);
  });
});

describe('countOwnSocketsTo', () => {
  it('counts this process’s sockets to a port like lsof does, not the server side', async () => {
    const server = net.createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const port = (server.address() as net.AddressInfo).port;
    expect(await countOwnSocketsTo(port)).toBe(0);
    const clients = await Promise.all(
      [0, 1, 2].map(
        () =>
          new Promise<net.Socket>((resolve) => {
            const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
          }),
      ),
    );
    cleanups.push(() => clients.forEach((socket) => socket.destroy()));
    expect(await countOwnSocketsTo(port)).toBe(3);
  });
});
