/**
 * Polls `tcp.kernelTimers` once a second while `active`: the kernel's view of the
 * engine's own sockets (state, timer, next expiry, probes). The last read stays
 * on screen after polling stops, so the table does not vanish when a run ends.
 */
import { useEffect, useState } from 'react';
import { useApi } from '../../api/api-context';
import type { KernelTimerInput } from './kernel-timer-rows';

/** ms between reads: the table is "what ss -tno says now", a second is fresh enough */
export const KERNEL_TIMER_POLL_MS = 1000;

export interface KernelTimersState {
  rows: KernelTimerInput[];
  /** why the table is empty (not Linux, no /proc), null when readable */
  unavailable: string | null;
  /** reads done so far */
  reads: number;
}

export function useKernelTimers(active: boolean): KernelTimersState {
  const { api } = useApi();
  const [state, setState] = useState<KernelTimersState>({ rows: [], unavailable: null, reads: 0 });

  useEffect(() => {
    if (!active) return;
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
          ? { rows: value.rows, unavailable: null, reads: previous.reads + 1 }
          : { rows: [], unavailable: value.reason, reads: previous.reads + 1 },
      );
    };
    void read();
    const timer = setInterval(() => void read(), KERNEL_TIMER_POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api, active]);

  return state;
}
