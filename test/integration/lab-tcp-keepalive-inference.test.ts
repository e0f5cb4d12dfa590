/**
 * Probes inferred from the kernel's keepalive timer = the keep-alives tcpdump sees on the wire.
 * The timer fires every interval, but after an answered probe Linux waits the whole idle time
 * again before the next probe (tcp_keepalive_timer counts idle from the last segment received:
 * the probe's ACK), so with idle 2 s and interval 1 s probes leave at 2, 4, 6, 8 s, not every second.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKeepaliveExperiment, type KeepaliveSummary } from '@engine/lab/keepalive-experiment';
import { startEchoServer, type EchoServer } from '@engine/lab/echo-server';
import type { Session } from '@shared/trace';
import { startLoopbackCapture, type LoopbackCapture } from './helpers/tcpdump-capture';

/** seconds after the connection's SYN of each keep-alive tshark finds, client → server */
async function keepAlivesOnTheWire(capture: LoopbackCapture, clientPort: number): Promise<number[]> {
  const rows = await capture.fields('frame.time_epoch', 'tcp.srcport', 'tcp.analysis.keep_alive');
  const synEpoch = Number(rows.find(([, port]) => Number(port) === clientPort)?.[0]);
  return rows
    .filter(([, port, keepAlive]) => Number(port) === clientPort && keepAlive !== undefined && keepAlive !== '')
    .map(([epoch]) => Number(epoch) - synEpoch);
}

describe('probes inferred from the kernel keepalive timer', () => {
  let echo: EchoServer;
  let capture: LoopbackCapture;
  let run: { summary: KeepaliveSummary; session: Session };
  let wire: number[];

  beforeAll(async () => {
    echo = await startEchoServer();
    capture = await startLoopbackCapture(echo.port);
    run = await runKeepaliveExperiment({
      idleS: 2,
      intervalS: 1,
      count: 3,
      holdS: 7.5,
      close: 'fin',
      target: { host: echo.host, port: echo.port },
    });
    await capture.stop();
    wire = await keepAlivesOnTheWire(capture, Number(run.summary.local.split(':').at(-1)));
  }, 40_000);

  afterAll(async () => {
    await capture?.dispose();
    await echo?.close();
  });

  it('counts the probes that went on the wire, idle apart when answered', () => {
    // on the wire: about 2, 4 and 6 s after setup (the timer also fired at 3, 5 and 7 s and sent nothing)
    expect(wire).toHaveLength(3);
    const at = run.summary.probesInferredAtMs;
    expect(at).toHaveLength(wire.length);
    for (let i = 1; i < at.length; i++) {
      expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(1900);
      expect(at[i]! - at[i - 1]!).toBeLessThan(2400);
      // the same spacing as the capture's, within the 200 ms between timer reads
      expect(Math.abs(at[i]! - at[i - 1]! - (wire[i]! - wire[i - 1]!) * 1000)).toBeLessThan(250);
    }
    expect(at[0]).toBeGreaterThanOrEqual(1900);
    // each at the moment it left: the timer's next expiry minus the interval, against the capture's
    // time since the SYN (setup, counted from the echo's reply, starts a few ms after the SYN)
    for (let i = 0; i < at.length; i++) expect(Math.abs(at[i]! - wire[i]! * 1000)).toBeLessThan(100);
  });

  it('marks one probe and one ACK per probe on the timeline', () => {
    const marks = (mark: string) => run.session.events.filter((e) => e.kind === 'wire-seen' && e.mark === mark);
    expect(marks('keepalive-probe')).toHaveLength(wire.length);
    expect(marks('keepalive-ack')).toHaveLength(wire.length);
  });
});
