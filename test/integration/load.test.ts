/**
 * Soak (bounded): the proxy holds 1,000 concurrent loopback connections and the multiplexing client
 * 10,000 in-flight requests on one connection (bench/load.ts, which `npm run bench` reports), with
 * memory bounds, and nothing remains afterwards. Needs ~4,000 fds in this process (client, proxy's
 * accepted socket, upstream, echo server's socket per connection): checked against /proc/self/limits.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { benchMuxLoad, benchProxyLoad, MUX_IN_FLIGHT, PROXY_CONNECTIONS } from '../../bench/load';
import { leakedSince, snapshotResources } from './helpers/leak-check';

/** fds one proxied connection costs in this process, plus room for the test runner */
const FDS_PER_PROXIED_CONNECTION = 4;
const FD_HEADROOM = 500;
/** RSS growth allowed at the peak, MiB: measured ~25 MiB (proxy) and ~15 MiB (mux) on Node 20 */
const PROXY_RSS_GROWTH_MIB = 200;
const MUX_RSS_GROWTH_MIB = 200;

async function openFilesSoftLimit(): Promise<number> {
  const limits = await readFile('/proc/self/limits', 'utf8');
  const line = limits.split('\n').find((row) => row.startsWith('Max open files'));
  const soft = line?.split(/\s{2,}/)[1];
  return soft === 'unlimited' ? Infinity : Number(soft);
}

describe('load (bounded soak)', () => {
  it('has enough file descriptors for the proxy run (raise with `ulimit -n` before vitest otherwise)', async () => {
    const needed = PROXY_CONNECTIONS * FDS_PER_PROXIED_CONNECTION + FD_HEADROOM;
    const soft = await openFilesSoftLimit();
    expect(soft, `open-files soft limit ${soft} < ${needed}: run \`ulimit -n ${needed}\` before the tests`).toBeGreaterThanOrEqual(needed);
  });

  it('the proxy holds 1,000 concurrent connections, each with its reply and its own upstream; nothing leaks', async () => {
    const before = await snapshotResources();
    const figures = await benchProxyLoad();
    console.log(`proxy load: ${JSON.stringify(figures)}`);
    expect(figures.failed).toBe(0);
    expect(figures.held).toBe(PROXY_CONNECTIONS);
    expect(figures.proxyActive).toBe(PROXY_CONNECTIONS);
    expect(figures.upstreamPoolSize).toBe(PROXY_CONNECTIONS);
    expect(figures.peak.rssMiB - figures.before.rssMiB).toBeLessThan(PROXY_RSS_GROWTH_MIB);
    expect(await leakedSince(before, 5000)).toEqual({});
  }, 60_000);

  it('the mux client carries 10,000 requests in flight on one connection and all come back; nothing leaks', async () => {
    const before = await snapshotResources();
    const figures = await benchMuxLoad();
    console.log(`mux load: ${JSON.stringify(figures)}`);
    expect(figures.peakInFlight).toBe(MUX_IN_FLIGHT);
    expect(figures.ok).toBe(MUX_IN_FLIGHT);
    expect(figures.failed).toBe(0);
    expect(figures.peak.rssMiB - figures.before.rssMiB).toBeLessThan(MUX_RSS_GROWTH_MIB);
    expect(await leakedSince(before, 5000)).toEqual({});
  }, 60_000);
});
