/** Per origin: connections opened, requests, reuse, and the connect + TLS time reuse saved or could have saved. */
import type { HarImport } from '@shared/api-har';
import { percentOf } from '@shared/counting';
import { formatMs } from './har-view-model';

/** Origins listed (a page can reach hundreds; the busiest come first). */
const MAX_ORIGINS = 30;

/** Some connection to the origin was set up in the file: its connect time is known, and so is what reuse saved. */
function setUpInFile(har: HarImport, origin: string): boolean {
  return har.connections.some((connection) => connection.origin === origin && connection.openedBy !== null);
}

export function HarOrigins({ har }: { har: HarImport }) {
  const origins = [...har.origins].sort((a, b) => b.requests - a.requests).slice(0, MAX_ORIGINS);
  return (
    <section className="card har-origins" aria-labelledby="har-origins-title" data-testid="har-origins">
      <div className="panel-head">
        <h2 id="har-origins-title">Origins</h2>
        <span className="muted">
          saved: connect + TLS the reused requests did not pay · could have saved: connections opened while one sat idle
        </span>
      </div>
      <div className="har-scroll">
        <table className="har-table">
          <thead>
            <tr>
              <th scope="col">Origin</th>
              <th scope="col">HTTP</th>
              <th scope="col">Connections</th>
              <th scope="col">Requests</th>
              <th scope="col">Reused</th>
              <th scope="col">Connect (TCP + TLS)</th>
              <th scope="col">Saved</th>
              <th scope="col">Could have saved</th>
            </tr>
          </thead>
          <tbody>
            {origins.map((origin) => (
              <tr key={origin.origin}>
                <th scope="row" title={origin.origin}>
                  {origin.origin}
                </th>
                <td>{origin.httpVersions.join(', ')}</td>
                <td>{origin.connectionsOpened}</td>
                <td>{origin.requests}</td>
                <td>
                  {origin.reused} ({percentOf(origin.reuseRatio, 1)}%)
                </td>
                {setUpInFile(har, origin.origin) ? (
                  <>
                    <td>{formatMs(origin.setupMs)}</td>
                    <td>≈ {formatMs(origin.savedMs)}</td>
                  </>
                ) : (
                  <>
                    <td title="every connection to this origin was open before the file began">none in the file</td>
                    <td>not known</td>
                  </>
                )}
                <td>{formatMs(origin.couldHaveSavedMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {har.origins.length > MAX_ORIGINS ? (
        <p className="muted">{har.origins.length - MAX_ORIGINS} more origins with fewer requests.</p>
      ) : null}
    </section>
  );
}
