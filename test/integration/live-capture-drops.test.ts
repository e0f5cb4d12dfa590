/**
 * A capture that could not keep up says so: tcpdump is frozen (SIGSTOP) while the lab opens far
 * more loopback connections than its ring holds, and the stopped capture warns that the kernel
 * dropped packets, with their count, instead of presenting a capture with holes as complete.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { startLiveCapture } from '@engine/capture/live';

/** connections opened and closed while tcpdump is frozen: about 7 packets each, far above the ring's ~250 */
const CONNECTIONS = 300;

async function openAndClose(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end());
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
}

describe('live capture under pressure', () => {
  it('warns with the count when the kernel dropped packets tcpdump could not read', async () => {
    const server = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const started = await startLiveCapture({ ports: [port] });
    if (!started.ok) throw new Error(`tcpdump is needed here: ${started.unavailable.message}`);
    try {
      process.kill(started.capture.tcpdumpPid, 'SIGSTOP');
      for (let index = 0; index < CONNECTIONS; index++) await openAndClose(port);
      process.kill(started.capture.tcpdumpPid, 'SIGCONT');
      const stopped = await started.capture.stop();
      const warning = stopped.warnings.find((text) => text.startsWith('the kernel dropped'));
      expect(warning, stopped.warnings.join('\n')).toMatch(
        /^the kernel dropped [\d,]+ packets tcpdump could not read in time: the capture is missing them$/,
      );
      const dropped = Number(/dropped ([\d,]+)/.exec(warning ?? '')?.[1]?.replace(/,/g, ''));
      expect(dropped).toBeGreaterThan(0);
      // what was kept is still a readable capture, with fewer packets than the lab sent
      expect(stopped.read?.records).toBeGreaterThan(0);
      expect(stopped.read?.records).toBeLessThan(CONNECTIONS * 7);
    } finally {
      // a failure above may leave tcpdump frozen; stop() is idempotent
      try {
        process.kill(started.capture.tcpdumpPid, 'SIGCONT');
      } catch {
        // already gone: stopped above
      }
      await started.capture.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
