/** The kernel-timers table: what `ss -tno` says about the lab's own sockets, refreshed four times a second, with the re-arms seen. */
import { kernelTimerRows } from './kernel-timer-rows';
import type { KernelTimersState } from './use-kernel-timers';

export function KernelTimersTable({ timers, ports, active }: { timers: KernelTimersState; ports: ReadonlySet<number>; active: boolean }) {
  const rows = kernelTimerRows(timers.rows, ports, timers.rearms);
  return (
    <div>
      <h4>Kernel timers {active ? <span className="muted">(live, read 4 times a second)</span> : null}</h4>
      {timers.unavailable ? (
        <p className="error-box" role="status">
          Kernel timers not available: {timers.unavailable}
        </p>
      ) : (
        <div className="table-scroll table-scroll-short" tabIndex={0} role="region" aria-label="Kernel timers">
          <table className="data-table" data-testid="kernel-timers">
            <caption className="visually-hidden">Kernel timers of the lab’s own sockets</caption>
            <thead>
              <tr>
                <th scope="col">Socket</th>
                <th scope="col">State</th>
                <th scope="col">Timer</th>
                <th scope="col" className="number">
                  Next in
                </th>
                <th scope="col" className="number">
                  Probes
                </th>
                <th scope="col" className="number">
                  Re-armed
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.length === 0 ? (
                <tr>
                  <td colSpan={6} className="muted empty-row">
                    {timers.reads === 0
                      ? 'Run the keepalive experiment (or start a server) to read the kernel’s timers.'
                      : 'No lab connection is open right now.'}
                  </td>
                </tr>
              ) : (
                rows.map((row) => (
                  <tr key={row.key} className={row.keepalive ? 'timer-keepalive' : undefined}>
                    <td>
                      <code>{row.endpoints}</code>
                    </td>
                    <td>{row.state}</td>
                    <td>{row.timer}</td>
                    <td className="number">{row.nextIn}</td>
                    <td className="number">{row.probes}</td>
                    <td className="number">{row.keepalive || row.rearms > 0 ? row.rearms : '–'}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted field-hint">
        “Next in” is the time until the timer next fires; “Probes” counts unanswered probes. On loopback every probe is answered, so watch
        “next in” jump back up instead: the keepalive timer re-arms each time it fires, but it sends a probe only once nothing has come from
        the peer for the idle time, and each answered probe’s ACK starts that time again. With idle 2 s and interval 1 s it jumps every
        second and probes every 2 s. “Re-armed” counts the jumps seen, not probes; the summary counts the probes.
      </p>
    </div>
  );
}
