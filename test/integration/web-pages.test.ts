/**
 * Jobs, listeners, captures and uploads belong to the page that started them: when its socket
 * closes they stop (checked in the process table, on the ports and in the file system). Each page
 * has its own report and sees only its own events. Caps on jobs, listeners and uploads answer with
 * a sentence a person can act on, and the web mode binds no privileged port and reaches no host
 * beyond this machine unless `serve` is told to.
 */
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { processTable, waitUntilGone } from './helpers/process-table';
import { openPage, startTestServer, stillAnswers, upload, type PageClient } from './helpers/web-client';

/** The tcpdump watchdogs this process spawned and the tcpdumps under them (src/main/engine/capture/live.ts). */
async function ourTcpdumps(): Promise<number[]> {
  const rows = await processTable();
  const watchdogs = rows.filter((row) => row.ppid === process.pid && row.args.includes('keepalive-lab-capture')).map((row) => row.pid);
  return [...watchdogs, ...rows.filter((row) => watchdogs.includes(row.ppid)).map((row) => row.pid)];
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/** Sends a call without waiting for its reply (a long run). */
function fire(client: PageClient, id: number, method: string, params: unknown): void {
  client.ws.send(JSON.stringify({ id, method, params }));
}

describe('a page that leaves', () => {
  it('takes its tcpdumps, echo servers, proxies and uploads with it; the server still answers', async () => {
    const server = await startTestServer();
    try {
      const before = await ourTcpdumps();
      const client = await openPage(server);
      for (let run = 0; run < 3; run++) fire(client, 100 + run, 'tcp.runKeepalive', { idleS: 1, holdS: 600, capture: true });
      const echoes = [await client.call('tcp.startEcho'), await client.call('tcp.startEcho')];
      const proxy = await client.call('tcp.startProxy');
      const ports = [...echoes, proxy].map((reply) => (reply.value as { port: number }).port);
      const { handle } = await upload(server, client.page, 'x.pcap', 'bytes');
      expect(handle).toBeDefined();
      const stored = [...server.web.pages.get(client.page)!.uploads.keys()];
      await expect.poll(async () => (await ourTcpdumps()).length - before.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(6);
      const running = (await ourTcpdumps()).filter((pid) => !before.includes(pid));

      await client.close();

      expect(await waitUntilGone(running)).toEqual([]);
      for (const port of ports) await expect.poll(() => refused(port), { timeout: 5000 }).toBe(true);
      await expect.poll(() => stored.some((path) => existsSync(path)), { timeout: 5000 }).toBe(false);
      expect(server.web.pages.size).toBe(0);
      expect(await stillAnswers(server)).toBe(true);
    } finally {
      await server.stop();
    }
  });

  it('gives each page load its own report and only its own events', async () => {
    const server = await startTestServer();
    try {
      const [first, second] = [await openPage(server), await openPage(server)];
      expect((await first.call('http.run', { config: { requests: 3 }, jobId: 'first-run' })).ok).toBe(true);
      const own = (await first.call('session.bundle')).value as { sessions: unknown[] };
      const other = (await second.call('session.bundle')).value as { sessions: unknown[] };
      expect(own.sessions).toHaveLength(1);
      expect(other.sessions).toHaveLength(0);
      expect(first.events.some((event) => event.jobId === 'first-run')).toBe(true);
      expect(second.events).toEqual([]);
      await first.close();
      await second.close();
    } finally {
      await server.stop();
    }
  });
});

describe('caps and refusals', () => {
  it('caps jobs and listeners over all pages with a clear error, and frees a place when one stops', async () => {
    const server = await startTestServer({ service: { limits: { maxJobs: 2, maxListeners: 2 } } });
    try {
      const [first, second] = [await openPage(server), await openPage(server)];
      fire(first, 500, 'tcp.runKeepalive', { jobId: 'hold-1', idleS: 1, holdS: 600 });
      fire(second, 501, 'tcp.runKeepalive', { jobId: 'hold-2', idleS: 1, holdS: 600 });
      // both are running once each has pushed an event (two sockets: their messages may be read in either order)
      await expect.poll(() => first.events.some((event) => event.jobId === 'hold-1'), { timeout: 10_000 }).toBe(true);
      await expect.poll(() => second.events.some((event) => event.jobId === 'hold-2'), { timeout: 10_000 }).toBe(true);
      await expect
        .poll(async () => (await first.call('tcp.runKeepalive', { idleS: 1, holdS: 0 })).error?.message, { timeout: 10_000 })
        .toBe('too many jobs at once (at most 2): wait for one to finish or stop one');
      expect((await first.call('job.cancel', { jobId: 'hold-1' })).value).toEqual({ cancelled: true });
      // the cancelled run winds down, then its place is free again
      await expect.poll(async () => (await first.call('tcp.runKeepalive', { idleS: 1, holdS: 0 })).ok, { timeout: 10_000 }).toBe(true);

      expect((await first.call('tcp.startEcho')).ok).toBe(true);
      expect((await second.call('tcp.startProxy')).ok).toBe(true);
      const full = await first.call('tcp.startEcho');
      expect(full).toMatchObject({
        ok: false,
        error: { code: 'limit-reached', message: 'too many echo servers and proxies at once (at most 2): stop one first' },
      });
      await second.close(); // its proxy and its run go with it
      await expect.poll(async () => (await first.call('tcp.startEcho')).ok, { timeout: 10_000 }).toBe(true);
      await first.close();
    } finally {
      await server.stop();
    }
  });

  it('caps one upload, all uploads held and uploads at once, each with its own status and sentence', async () => {
    const server = await startTestServer({ limits: { maxFileBytes: 600, maxStoredBytes: 1000, maxConcurrent: 1 } });
    try {
      const client = await openPage(server);
      const big = await upload(server, client.page, 'big.pcap', Buffer.alloc(700));
      expect(big).toMatchObject({ status: 413 });
      expect(big.body).toContain('capture too large (max 600 bytes)');
      expect((await upload(server, client.page, 'a.pcap', Buffer.alloc(600))).status).toBe(200);
      const full = await upload(server, client.page, 'b.pcap', Buffer.alloc(600));
      expect(full.status).toBe(507);
      expect(full.body).toContain('already hold 600 of 1000 bytes: close a page that has captures open');

      await client.close(); // its upload is deleted: room again
      const next = await openPage(server);
      await expect.poll(async () => (await upload(server, next.page, 'c.pcap', Buffer.alloc(600))).status, { timeout: 5000 }).toBe(200);
      await next.close();
      const last = await openPage(server);
      // one upload on its way (headers sent, body not finished) holds the only place
      const slow = connect(server.web.port, '127.0.0.1');
      slow.on('error', () => undefined);
      // `Expect: 100-continue`: Node answers "100 Continue" as it hands the request to the upload route
      const accepted = new Promise<void>((resolve) => slow.once('data', () => resolve()));
      slow.write(
        `POST /t/${server.web.token}/upload?page=${last.page}&name=slow.pcap HTTP/1.1\r\nHost: 127.0.0.1:${server.web.port}\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n`,
      );
      await accepted;
      slow.write('0123456789');
      const busy = await upload(server, last.page, 'd.pcap', Buffer.alloc(10));
      expect(busy.status).toBe(429);
      expect(busy.body).toContain('1 upload is already on its way: wait for it to finish');
      slow.destroy();
      await last.close();
      expect(await stillAnswers(server)).toBe(true);
    } finally {
      await server.stop();
    }
  });

  it('binds no privileged port and connects to this machine only, saying which serve flag lifts each', async () => {
    const server = await startTestServer();
    try {
      const client = await openPage(server);
      const echo = await client.call('tcp.startEcho', { port: 81 });
      expect(echo).toMatchObject({ ok: false, error: { code: 'port-refused' } });
      expect(echo.error?.message).toContain('keepalive-lab serve --allow-privileged-ports');
      expect(await client.call('tcp.startProxy', { listenPort: 443 })).toMatchObject({ ok: false, error: { code: 'port-refused' } });
      for (const [method, params] of [
        ['http.run', { config: { url: 'http://example.invalid/' } }],
        ['http.compare', { a: {}, b: { config: { url: 'http://[2001:db8::1]:8080/' } } }],
        ['tcp.startProxy', { upstream: { host: 'example.invalid', port: 80 } }],
        ['tcp.runMux', { requests: 1, concurrency: 1, target: { host: '192.0.2.1', port: 7 } }],
      ] as const) {
        const reply = await client.call(method, params);
        expect(reply, method).toMatchObject({ ok: false, error: { code: 'target-refused' } });
        expect(reply.error?.message, method).toContain(
          'To reach other hosts, restart it with `keepalive-lab serve --allow-remote-targets`',
        );
      }
      await client.close();
    } finally {
      await server.stop();
    }
  });

  it('binds a privileged port when serve allows it', async () => {
    if (process.getuid?.() !== 0) return expect(process.getuid?.()).not.toBe(0); // only root may bind below 1024
    const server = await startTestServer({ service: { allowPrivilegedPorts: true } });
    try {
      const client = await openPage(server);
      const echo = await client.call('tcp.startEcho', { port: 1023 });
      expect(echo, echo.error?.message).toMatchObject({ ok: true, value: { port: 1023 } });
      await client.close();
      await expect.poll(() => refused(1023), { timeout: 5000 }).toBe(true);
    } finally {
      await server.stop();
    }
  });
});
