/**
 * The TCP lab's figures in words, from real runs on loopback: the echo server's stop note counts
 * the connections and requests it served (it used to read the proxy's fields: "0 client connections,
 * 0 bytes up, 0 bytes down"), and the pool's summary is the pool as the run left it, not after the
 * closing drain ("pool size 0", "pool evicted 4").
 */
import { describe, expect, it } from 'vitest';
import { startEchoServer } from '@engine/lab/echo-server';
import { MuxClient } from '@engine/lab/mux-client';
import { runPoolExperiment } from '@engine/lab/tcp-experiments';
import { echoStatsText, summaryLines } from '@renderer/features/lab/tcp-summary';

describe('TCP lab figures in words', () => {
  it('the echo server, stopped after one exchange, says it served one connection and one request', async () => {
    const echo = await startEchoServer();
    const client = await MuxClient.connect({ host: echo.host, port: echo.port, timeoutMs: 5000 });
    try {
      await client.send('hello');
    } finally {
      await client.close('fin');
    }
    const stats = { ...echo.stats() };
    await echo.close();
    expect(echoStatsText(stats)).toBe('It accepted 1 connection and answered 1 of 1 request.');
  });

  it('the pool summary is the pool at the end of the run: its connections open and idle, none dropped', async () => {
    const { summary } = await runPoolExperiment({ size: 4, requests: 40, concurrency: 8 });
    const lines = new Map(summaryLines(summary as unknown as Record<string, unknown>).map((line) => [line.label, line.value]));
    expect(lines.get('pool: connections open at the end')).toBe(String(summary.connectionsOpened));
    expect(summary.connectionsOpened).toBeGreaterThanOrEqual(1);
    expect(lines.get('pool: connections dropped during the run (closed by the peer, failed or idle too long)')).toBe('0');
  });
});
