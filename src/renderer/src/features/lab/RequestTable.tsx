/**
 * The per-request table: which connection each request used, new or reused and
 * why, how it ended, and its timings. A row can be selected (click, or Enter on
 * its number) to outline the request on the timeline. `compact` (half-width, in a
 * comparison) keeps the total time and leaves out the queued / connect / first-byte columns,
 * and puts new / reused under the connection's name, so every column fits a column of a
 * comparison at 1280 px (six columns needed 564 px where the comparison's column is about 290).
 */
import { CONNECTION_KIND_LABEL, formatMs, type RequestRow } from './request-rows';

interface Props {
  rows: readonly RequestRow[];
  caption: string;
  /** the selected row's request id ("r3") */
  selected?: string | null;
  onSelect?: (row: RequestRow) => void;
  compact?: boolean;
}

/** The "why" cell: the cause of a new connection, or the wait for a pool slot. */
function WhyCell({ row }: { row: RequestRow }) {
  if (row.why)
    return (
      <>
        <span className={`pill pill-cause cause-${row.why.cause}`}>{row.why.label}</span>
        <span className="why-detail muted">{row.why.detail}</span>
      </>
    );
  if (row.waitedForPoolMs !== null)
    return <span className="why-detail">waited {formatMs(row.waitedForPoolMs)} ms for a free connection</span>;
  return <span className="muted">–</span>;
}

export function RequestTable({ rows, caption, selected = null, onSelect, compact = false }: Props) {
  const columns = compact ? 5 : 9;
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table className={compact ? 'data-table data-table-compact' : 'data-table'}>
        <caption className="visually-hidden">{caption}; times in ms</caption>
        <thead>
          <tr>
            <th scope="col" title="request number">
              #
            </th>
            {compact ? (
              <th scope="col">
                Connection<span className="visually-hidden">, new / reused</span>
              </th>
            ) : (
              <>
                <th scope="col">Connection</th>
                <th scope="col">New / reused</th>
              </>
            )}
            <th scope="col" className="why-column">
              Why a new connection
            </th>
            <th scope="col">Status / error</th>
            {compact ? null : (
              <>
                <th
                  scope="col"
                  className="number"
                  title="ms until the client handed the request a connection; it waited for a free connection only where “Why” says so (a new connection’s handshakes come after it)"
                >
                  Queued
                </th>
                <th
                  scope="col"
                  className="number"
                  title="ms of the TCP handshake; over HTTPS the TLS handshake comes after it (select the request)"
                >
                  TCP connect
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
              <tr
                key={row.request}
                className={
                  [row.failed ? 'row-failed' : '', row.request === selected ? 'row-selected' : ''].filter(Boolean).join(' ') || undefined
                }
                onClick={onSelect ? () => onSelect(row) : undefined}
              >
                <td>
                  {onSelect ? (
                    <button
                      type="button"
                      className="row-select"
                      aria-pressed={row.request === selected}
                      aria-label={`Show request ${row.index}${row.attempt > 1 ? ' (retry)' : ''} on the timeline`}
                      onClick={(event) => {
                        event.stopPropagation();
                        onSelect(row);
                      }}
                    >
                      {row.index}
                    </button>
                  ) : (
                    row.index
                  )}
                  {row.attempt > 1 ? <span className="muted"> (retry)</span> : null}
                </td>
                {compact ? (
                  <td>
                    <code>{row.connection ?? '–'}</code>
                    <br />
                    <span className={`pill pill-${row.connectionKind}`}>{CONNECTION_KIND_LABEL[row.connectionKind]}</span>
                  </td>
                ) : (
                  <>
                    <td>
                      <code>{row.connection ?? '–'}</code>
                    </td>
                    <td>
                      <span className={`pill pill-${row.connectionKind}`}>{CONNECTION_KIND_LABEL[row.connectionKind]}</span>
                    </td>
                  </>
                )}
                <td className="why-column">
                  <WhyCell row={row} />
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
