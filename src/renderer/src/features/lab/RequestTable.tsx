/**
 * The per-request table: which connection each request used, new or reused, how
 * it ended, and its timings. `compact` (half-width, in a comparison) keeps the
 * total time and leaves out the queued / connect / first-byte columns.
 */
import { CONNECTION_KIND_LABEL, formatMs, type RequestRow } from './request-rows';

export function RequestTable({ rows, caption, compact = false }: { rows: readonly RequestRow[]; caption: string; compact?: boolean }) {
  const columns = compact ? 5 : 8;
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table className="data-table">
        <caption className="visually-hidden">{caption}; times in ms</caption>
        <thead>
          <tr>
            <th scope="col" title="request number">
              #
            </th>
            <th scope="col">Connection</th>
            <th scope="col">New / reused</th>
            <th scope="col">Status / error</th>
            {compact ? null : (
              <>
                <th scope="col" className="number">
                  Queued
                </th>
                <th scope="col" className="number">
                  Connect
                </th>
                <th scope="col" className="number">
                  First byte
                </th>
              </>
            )}
            <th scope="col" className="number">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columns} className="muted empty-row">
                No requests yet: pick a scenario and press Run.
              </td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={row.request} className={row.failed ? 'row-failed' : undefined}>
                <td>
                  {row.index}
                  {row.attempt > 1 ? <span className="muted"> (retry)</span> : null}
                </td>
                <td>
                  <code>{row.connection ?? '–'}</code>
                </td>
                <td>
                  <span className={`pill pill-${row.connectionKind}`}>{CONNECTION_KIND_LABEL[row.connectionKind]}</span>
                </td>
                <td className={row.failed ? 'error-text' : undefined}>{row.outcome}</td>
                {compact ? null : (
                  <>
                    <td className="number">{formatMs(row.queuedMs)}</td>
                    <td className="number">{formatMs(row.connectMs)}</td>
                    <td className="number">{formatMs(row.firstByteMs)}</td>
                  </>
                )}
                <td className="number">{formatMs(row.totalMs)}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
