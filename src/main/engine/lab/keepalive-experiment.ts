/**
 * The keepalive experiment: open one connection, exchange one request, switch
 * keepalive on with the learner's idle / interval / count, hold the connection
 * idle for `holdS` while reading the kernel's timer for it, then close by FIN or RST.
 *
 * On loopback every probe is answered, so the kernel's unanswered-probe count
 * stays 0; a probe shows instead as the keepalive timer firing once the peer has
 * been silent for the idle time (probe-inference.ts: a firing sooner after the
 * last ACK sends nothing) — recorded as wire-seen `keepalive-probe` +
 * `keepalive-ack` with source 'kernel' (inferred).
 */
import { randomUUID } from 'node:crypto';
import type { KeepaliveSettings, Session } from '@shared/trace';
import { MuxClient } from './mux-client';
import { readKernelTimers } from './kernel-timers';
import { applyKeepalive, readOsKeepaliveDefaults } from './socket-options';
import { TcpRecorder, socketEndpoints } from './tcp-recorder';
import { withTarget, type EchoBehaviour, type Target } from './echo-server';
import type { ExperimentHooks } from './tcp-experiments';
import { sleep } from './sleep';
import { ProbeInference } from './probe-inference';
import { deadPeerFromSeconds, type DeadPeerDetection } from '@shared/dead-peer';

export interface KeepaliveExperimentOptions extends ExperimentHooks {
  idleS: number;
  intervalS?: number;
  count?: number;
  userTimeoutMs?: number;
  /** s to hold the connection idle */
  holdS: number;
  close?: 'fin' | 'rst';
  target?: Target;
  server?: Partial<EchoBehaviour>;
  /** ms between kernel timer reads (default 200) */
  sampleMs?: number;
}

export interface TimerSample {
  /** ms since the connection was set up */
  atMs: number;
  state: string;
  timer: string;
  nextMs: number | null;
  probes: number;
}

export interface KeepaliveSummary {
  local: string;
  remote: string;
  settings: Pick<KeepaliveSettings, 'idleS' | 'intervalS' | 'count' | 'userTimeoutMs' | 'source'>;
  timers: TimerSample[];
  /** ms (since setup) at which a probe is inferred from the timer re-arming */
  probesInferredAtMs: number[];
  closedBy: 'fin' | 'rst';
  kernelTimers: 'ss' | 'proc' | string;
  notes: string[];
  cancelled: boolean;
  /** when a silent peer would be noticed with these settings */
  deadPeerDetection: DeadPeerDetection;
}

export function runKeepaliveExperiment(options: KeepaliveExperimentOptions): Promise<{ session: Session; summary: KeepaliveSummary }> {
  const recorder = options.recorder ?? new TcpRecorder();
  const closeHow = options.close ?? 'fin';
  return withTarget(options.target, options.server, async (target) => {
    const client = await MuxClient.connect({ ...target, timeoutMs: 5000 }, (socket) =>
      recorder.watch(socket, { label: `keepalive → ${target.host}:${target.port}`, connecting: true }),
    );
    const conn = recorder.idOf(client.socket) ?? 'c?';
    const notes: string[] = [];
    const timers: TimerSample[] = [];
    // made with the settings read back from the socket once keepalive is on
    let inference: ProbeInference;
    let timerSource = 'none';
    let settings: KeepaliveSettings;
    try {
      const applied = await applyKeepalive(
        client.socket,
        { enabled: true, idleS: options.idleS, intervalS: options.intervalS, count: options.count, userTimeoutMs: options.userTimeoutMs },
        await readOsKeepaliveDefaults(),
      );
      settings = applied.settings;
      inference = new ProbeInference((settings.idleS ?? options.idleS) * 1000, (settings.intervalS ?? options.intervalS ?? 1) * 1000);
      notes.push(...applied.notes);
      recorder.record({ kind: 'settings-applied', conn, keepalive: settings });
      await client.send('hello');
      const setupMs = performance.now();
      const deadline = setupMs + options.holdS * 1000;
      for (let reads = 0; performance.now() < deadline && !options.signal?.aborted && reads < 10_000; reads += 1) {
        const result = await readKernelTimers(new Map([[conn, client.socket]]));
        const atMs = Math.round(performance.now() - setupMs);
        if (!result.available) {
          timerSource = result.reason;
          break;
        }
        const row = result.rows[0];
        if (row) {
          timerSource = row.source;
          timers.push({ atMs, state: row.state, timer: row.timer, nextMs: row.nextMs, probes: row.probes });
          recorder.record({ kind: 'kernel-timer-read', conn, state: row.state, timer: row.timer, nextMs: row.nextMs, probes: row.probes });
          if (row.timer === 'keepalive' && row.nextMs !== null) {
            const probe = inference.read(atMs, row.nextMs, row.probes);
            if (probe) {
              // the timer fired in between and its probe went out (on loopback, answered at once)
              const t = recorder.trace.now() - (atMs - probe.atMs) * 1000;
              recorder.record({ kind: 'wire-seen', conn, mark: 'keepalive-probe', source: 'kernel', from: 'a', t });
              if (probe.answered)
                recorder.record({ kind: 'wire-seen', conn, mark: 'keepalive-ack', source: 'kernel', from: 'b', t: t + 1 });
            }
          }
          options.onStats?.({
            conn,
            atMs,
            state: row.state,
            timer: row.timer,
            nextMs: row.nextMs,
            probes: row.probes,
            probesInferred: inference.probesAtMs.length,
          });
        }
        await sleep(Math.min(options.sampleMs ?? 200, Math.max(0, deadline - performance.now())), options.signal);
      }
    } catch (error) {
      recorder.markLocalClose(client.socket, 'rst');
      await client.close('rst');
      throw error;
    }
    recorder.markLocalClose(client.socket, closeHow);
    const { local, remote } = socketEndpoints(client.socket);
    await client.close(closeHow);
    const summary: KeepaliveSummary = {
      local: local ? `${local.address}:${local.port}` : '?',
      remote: remote ? `${remote.address}:${remote.port}` : '?',
      settings: {
        idleS: settings.idleS,
        intervalS: settings.intervalS,
        count: settings.count,
        userTimeoutMs: settings.userTimeoutMs,
        source: settings.source,
      },
      timers,
      probesInferredAtMs: inference.probesAtMs,
      closedBy: closeHow,
      kernelTimers: timerSource,
      notes,
      cancelled: options.signal?.aborted ?? false,
      deadPeerDetection: deadPeerFromSeconds(settings),
    };
    const session = recorder.trace.toSession({
      id: randomUUID(),
      kind: 'tcp-lab',
      title: `keepalive: idle ${options.idleS} s, held ${options.holdS} s, closed by ${closeHow.toUpperCase()}`,
      settings: {
        idleS: options.idleS,
        intervalS: options.intervalS,
        count: options.count,
        userTimeoutMs: options.userTimeoutMs,
        holdS: options.holdS,
        close: closeHow,
      },
      summary: { ...summary },
    });
    return { session, summary };
  });
}
