/**
 * Idle gaps with TCP keepalive on: the agent enables keepalive with a 1 s idle
 * delay on its kept socket (libuv then probes every 1 s), so a 2.5 s gap between
 * two requests shows kernel probes that tshark flags as "TCP Keep-Alive", and the
 * connection is reused after the gap.
 */
import { expect, it } from 'vitest';
import { runHttpLoop } from '@engine/lab/http-loop';
import { resolveHttpConfig } from '@engine/lab/http-scenarios';
import { startDemoHttpServer } from '@engine/lab/demo-http-server';
import { startLoopbackCapture } from './helpers/tcpdump-capture';

it('idle-gaps-tcp-keepalive: probes in the gap, answered, and the connection reused', async () => {
  const config = resolveHttpConfig('idle-gaps-tcp-keepalive', { requests: 2, intervalMs: 2500 });
  const server = await startDemoHttpServer(config.server);
  const capture = await startLoopbackCapture(server.port);
  try {
    const result = await runHttpLoop(config, { server });
    await capture.stop();
    expect(result.connectionsOpened).toBe(1);
    expect(result.reused).toBe(1);
    const settings = result.session.events.find((event) => event.kind === 'settings-applied');
    expect(settings?.kind === 'settings-applied' && settings.keepalive).toMatchObject({ enabled: true, idleS: 1, intervalS: 1, count: 10 });
    const rows = await capture.fields('tcp.stream', 'tcp.analysis.keep_alive', 'tcp.analysis.keep_alive_ack');
    const probes = rows.filter((row) => row[1] !== undefined && row[1] !== '').length;
    const acks = rows.filter((row) => row[2] !== undefined && row[2] !== '').length;
    expect(new Set(rows.map((row) => row[0])).size).toBe(1);
    expect(probes).toBeGreaterThanOrEqual(1);
    expect(acks).toBeGreaterThanOrEqual(1);
  } finally {
    await capture.dispose();
    await server.close();
  }
});
