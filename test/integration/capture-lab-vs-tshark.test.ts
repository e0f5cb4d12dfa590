/**
 * Captures of the lab's own traffic, taken by tcpdump on loopback, read by our analyzer and by
 * tshark: the flags must agree frame by frame (keep-alive idle, HTTP reuse, RST, zero window).
 */
import { once } from 'node:events';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeCaptureFile } from '@engine/capture/analyze';
import { runHttpLoop } from '@engine/lab/http-loop';
import { resolveHttpConfig } from '@engine/lab/http-scenarios';
import { startLoopbackCapture, type LoopbackCapture } from './helpers/tcpdump-capture';
import { ourFlags, tsharkFlags } from './helpers/tshark-flags';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

describe("the lab's own traffic: our analysis = tshark's, frame by frame", () => {
  const servers: Server[] = [];
  const sockets: Socket[] = [];
  let capture: LoopbackCapture;
  let ports: { keepalive: number; zeroWindow: number; http: number };

  beforeAll(async () => {
    // 1. an idle connection with TCP keepalive (idle 1 s, libuv: interval 1 s), closed by RST
    const keepaliveServer = createServer((socket) => sockets.push(socket.on('error', () => undefined)));
    // 2. a sender facing a receiver that stops reading: zero window, zero-window probes, window update
    const zeroWindowServer = createServer((socket) => {
      sockets.push(socket.on('error', () => undefined));
      const chunk = Buffer.alloc(64 * 1024, 7);
      let sent = 0;
      const pump = () => {
        while (sent < 16 * 1024 * 1024 && socket.write(chunk)) sent += chunk.length;
        if (sent < 16 * 1024 * 1024) socket.once('drain', pump);
        else socket.end();
      };
      pump();
    });
    servers.push(keepaliveServer, zeroWindowServer);
    const httpConfig = resolveHttpConfig('drained-body', { requests: 5 });
    ports = { keepalive: await listen(keepaliveServer), zeroWindow: await listen(zeroWindowServer), http: 0 };
    // the HTTP lab's embedded server picks its own port; capture by the two ports we know plus its port below
    const { startDemoHttpServer } = await import('@engine/lab/demo-http-server');
    const httpServer = await startDemoHttpServer(httpConfig.server);
    ports.http = httpServer.port;
    capture = await startLoopbackCapture([ports.keepalive, ports.zeroWindow, ports.http]);

    const idle = connect(ports.keepalive, '127.0.0.1');
    sockets.push(idle);
    await once(idle, 'connect');
    idle.setKeepAlive(true, 1000);

    const reader = connect(ports.zeroWindow, '127.0.0.1');
    sockets.push(reader);
    reader.pause(); // read nothing: the receive buffer fills and the window closes
    await once(reader, 'connect');

    await runHttpLoop({ ...httpConfig, url: `http://127.0.0.1:${ports.http}/` });
    await sleep(3500);
    reader.resume();
    reader.on('data', () => undefined);
    await Promise.race([once(reader, 'end'), sleep(8000)]);
    idle.resetAndDestroy();
    await sleep(300);
    await capture.stop();
    await httpServer.close();
  }, 90_000);

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    for (const server of servers) server.close();
    await capture?.dispose();
  });

  it('agrees with tshark on every flag of every frame', async () => {
    const ours = ourFlags(await analyzeCaptureFile(capture.file));
    const theirs = await tsharkFlags(capture.file);
    expect(Object.fromEntries(ours)).toEqual(Object.fromEntries(theirs));
    const seen = new Set([...theirs.values()].flat());
    // the scenarios did what they are for: probes and their ACKs, a zero window, an RST stream, HTTP reuse
    for (const flag of ['keep_alive', 'keep_alive_ack', 'zero_window']) expect(seen, flag).toContain(flag);
  });

  it('finds the streams, the RST end and the reused HTTP connection as tshark does', async () => {
    const analysis = await analyzeCaptureFile(capture.file);
    expect(analysis.streams.length).toBe(await capture.countStreams());
    const keepaliveStream = analysis.streams.find((s) => s.b.endsWith(`:${ports.keepalive}`) || s.a.endsWith(`:${ports.keepalive}`));
    expect(keepaliveStream?.end).toBe('rst');
    expect(keepaliveStream?.keepAlives).toBeGreaterThanOrEqual(2);
    const httpStreams = analysis.streams.filter((s) => s.b.endsWith(`:${ports.http}`));
    expect(httpStreams).toHaveLength(1);
    expect(httpStreams[0]?.httpRequests).toBe(5);
  });
});
