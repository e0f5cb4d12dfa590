/**
 * Idle gaps with TCP keepalive on: the agent enables keepalive with a 1 s idle
 * delay on its kept socket (libuv then probes every 1 s), so a 2.5 s gap between
 * two requests shows kernel probes that tshark flags as "TCP Keep-Alive", and the
 * connection is reused after the gap. Over TLS an https.Agent turns keepalive on only when it
 * first pools a connection; a connection whose body is never read never gets it.
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

/** The keepalive settings each connection's `settings-applied` events said, in order. */
function settingsOf(result: Awaited<ReturnType<typeof runHttpLoop>>): Map<string, unknown[]> {
  const byConnection = new Map<string, unknown[]>();
  for (const event of result.session.events) {
    if (event.kind !== 'settings-applied') continue;
    // a settings event always names its connection (trace.ts); one without would be a bug worth seeing
    const connection = event.conn ?? 'no connection';
    byConnection.set(connection, [...(byConnection.get(connection) ?? []), event.keepalive]);
  }
  return byConnection;
}

it('over TLS, an https.Agent turns keepalive on only when it first pools a connection: the lab says so, and the kernel agrees', async () => {
  // drained bodies: the connection goes back to the pool after request 1, and probes in the 2.5 s gap
  const drained = resolveHttpConfig('idle-gaps-tcp-keepalive', { requests: 2, intervalMs: 2500, tls: true });
  const server = await startDemoHttpServer(drained.server, { tls: true });
  let capture = await startLoopbackCapture(server.port);
  try {
    const result = await runHttpLoop(drained, { server });
    await capture.stop();
    expect(result.connectionsOpened).toBe(1);
    const [settings] = [...settingsOf(result).values()];
    // read at connect: off (the socket then holds the system's 75 s / 9 defaults); read when pooled: on, libuv's 1 s / 10
    expect(settings?.[0]).toMatchObject({ enabled: false });
    expect(settings?.at(-1)).toMatchObject({ enabled: true, idleS: 1, intervalS: 1, count: 10 });
    expect(result.connections[0]?.overlay.verdict.reason).toContain(
      'TCP keepalive probes start after 1 s idle (and again 1 s after each answer), 1 s apart while unanswered; only 10',
    );
    const probes = (await capture.fields('tcp.analysis.keep_alive')).filter((row) => row[0] !== undefined && row[0] !== '').length;
    expect(probes).toBeGreaterThanOrEqual(1);
    await capture.dispose();

    // held bodies: no connection ever goes back to the pool, so none has keepalive, and none probes in the gap
    const held = resolveHttpConfig('idle-gaps-tcp-keepalive', { requests: 2, intervalMs: 2500, tls: true, body: 'ignore' });
    capture = await startLoopbackCapture(server.port);
    const heldResult = await runHttpLoop(held, { server });
    await capture.stop();
    expect(heldResult.connectionsOpened).toBe(2);
    for (const list of settingsOf(heldResult).values()) expect(list).toEqual([expect.objectContaining({ enabled: false })]);
    for (const connection of heldResult.connections)
      expect(connection.overlay.verdict.reason).toContain(
        'TCP keepalive is off on the client socket (an https.Agent turns it on only when a connection goes back to its pool, and this one never did)',
      );
    expect((await capture.fields('tcp.analysis.keep_alive')).filter((row) => row[0] !== undefined && row[0] !== '')).toEqual([]);
  } finally {
    await capture.dispose();
    await server.close();
  }
});

it('over TLS with requests queued (maxSockets 6, 10 at a time), a socket handed straight to the next request is not read as pooled: its keepalive is still off', async () => {
  // the agent gives a freed socket to a waiting request without keepSocketAlive; read then, it held the kernel's
  // 75 s / 9 defaults with keepalive off, and the run said "probes start after 1 s idle, then every 75 s" for it
  const config = resolveHttpConfig('drained-body', { requests: 20, concurrency: 10, tls: true, agent: { maxSockets: 6 } });
  const server = await startDemoHttpServer({ ...config.server, headersDelayMs: 20 }, { tls: true });
  try {
    const result = await runHttpLoop(config, { server });
    expect(result.connectionsOpened).toBe(6);
    for (const [connection, list] of settingsOf(result)) {
      // on: what libuv set when the agent finally pooled it; nothing in between
      for (const settings of list.slice(1))
        expect(settings, connection).toMatchObject({ enabled: true, idleS: 1, intervalS: 1, count: 10 });
    }
    for (const connection of result.connections) expect(connection.overlay.verdict.reason).not.toContain('75 s');
  } finally {
    await server.close();
  }
});
