/**
 * Polls `tcp.kernelTimers` four times a second while `active`: the kernel's view of the
 * engine's own sockets (state, timer, next expiry, probes), and the re-arms seen between
 * reads. When polling stops it reads twice more (at once and a second later), so the table
 * shows what the kernel holds after the run, not its last live read.
 */
import { useEffect, useRef, useState } from 'react';
import { useApi } from '@renderer/api/api-context';
import { countRearms, type KernelTimerInput } from './kernel-timer-rows';

/**
 * ms between reads. A keepalive timer with a 1 s interval counts down 1000 → 0 ms and re-arms: a read
 * a second would land at about the same point of every cycle and never show the jump back. Four reads
 * a second show it. Cost measured on loopback (readOwnKernelTimers, which runs `ss -tnoie` and reads
 * /proc/self/fd): median 15.9 ms, p95 62 ms wall, 4.8 ms engine CPU per read, on a 2-core machine at
 * load average 18 (200 reads, 20 sockets); `ss -tnoie` alone, 200 runs: 13 ms wall, 3.5 ms CPU each.
 * So about 4 × (4.8 + 3.5) ≈ 33 ms CPU a second while a run is live.
 */
export const KERNEL_TIMER_POLL_MS = 250;

export interface KernelTimersState {
  rows: KernelTimerInput[];
  /** keepalive re-arms seen per socket (kernel-timer-rows.ts socketKey) since polling began */
  rearms: ReadonlyMap<string, number>;
  /** why the table is empty (not Linux, no /proc), null when readable */
  unavailable: string | null;
  /** reads done so far */
  reads: number;
}

/** ms after polling stops at which the table is read once more: the run's sockets have closed by then (FIN exchange on loopback) */
export const FINAL_READ_DELAYS_MS = [0, 1000] as const;

export function useKernelTimers(active: boolean): KernelTimersState {
  const { api } = useApi();
  const [state, setState] = useState<KernelTimersState>({ rows: [], rearms: new Map(), unavailable: null, reads: 0 });
  const wasActive = useRef(false);

  useEffect(() => {
    let live = true;
    let inFlight = false;
    const read = async () => {
      if (inFlight) return;
      inFlight = true;
      const result = await api.call('tcp.kernelTimers', {});
      inFlight = false;
      if (!live) return;
      if (!result.ok) return setState((previous) => ({ ...previous, unavailable: result.error.message }));
      const value = result.value;
      setState((previous) =>
        value.available
          ? {
              rows: value.rows,
              rearms: countRearms(previous.rows, value.rows, previous.rearms),
              unavailable: null,
              reads: previous.reads + 1,
            }
          : { rows: [], rearms: previous.rearms, unavailable: value.reason, reads: previous.reads + 1 },
      );
    };
    if (!active) {
      // just stopped: read again so the table shows the sockets as the kernel has them now (closed), not the last live read
      const timers = wasActive.current ? FINAL_READ_DELAYS_MS.map((delay) => setTimeout(() => void read(), delay)) : [];
      wasActive.current = false;
      return () => {
        live = false;
        timers.forEach(clearTimeout);
      };
    }
    wasActive.current = true;
    void read();
    const timer = setInterval(() => void read(), KERNEL_TIMER_POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api, active]);

  return state;
}
