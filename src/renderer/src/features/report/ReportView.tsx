import { useCallback, useEffect, useState } from 'react';
import { suggestedReportName, type ReportBundle, type ReportFormat } from '@shared/report-model';
import { useApi } from '@renderer/api/api-context';
import { downloadText } from '@renderer/api/files';
import { useMenuCommand } from '@renderer/app/menu-commands';
import { savedMessage } from './export-name';
import { bundleRows, FORMAT_LABELS, MIME_TYPES } from './report-rows';
import './report.css';

type Status = { kind: 'idle' } | { kind: 'busy'; text: string } | { kind: 'done'; text: string } | { kind: 'error'; text: string };

/** Everything run and seen in this session, and "Export report" as HTML, Markdown or JSON. */
export function ReportView() {
  const { api, transport } = useApi();
  const [bundle, setBundle] = useState<ReportBundle | null>(null);
  const [format, setFormat] = useState<ReportFormat>('html');
  const [status, setStatus] = useState<Status>({ kind: 'idle' });

  const refresh = useCallback(async () => {
    const result = await api.call('session.bundle', {});
    if (result.ok) setBundle(result.value);
    else setStatus({ kind: 'error', text: result.error.message });
  }, [api]);

  useEffect(() => {
    let live = true;
    void api.call('session.bundle', {}).then((result) => {
      if (!live) return;
      if (result.ok) setBundle(result.value);
      else setStatus({ kind: 'error', text: result.error.message });
    });
    return () => {
      live = false;
    };
  }, [api]);

  const exportReport = useCallback(async () => {
    const current = await api.call('session.bundle', {});
    if (!current.ok) return setStatus({ kind: 'error', text: current.error.message });
    setBundle(current.value);
    if (bundleRows(current.value).length === 0) {
      return setStatus({ kind: 'error', text: 'Nothing to export yet: run an experiment in the Lab or open a capture first.' });
    }
    if (transport === 'electron') {
      // the save dialog starts in Documents (or the folder used last) and adds .{format} to a name typed without one
      const chosen = await api.call('file.chooseSave', {
        title: 'Export report',
        suggestedName: suggestedReportName(current.value, format),
        extensions: [format],
      });
      if (!chosen.ok) return setStatus({ kind: 'error', text: chosen.error.message });
      // a one-time write handle for the file the user chose, and its name for the message
      const { path, name } = chosen.value;
      if (!path) return setStatus({ kind: 'idle' });
      setStatus({ kind: 'busy', text: 'Writing the report…' });
      // The native save dialog (or the shell, for a completed name) has already asked before replacing a file.
      const saved = await api.call('report.save', { path, force: true });
      if (!saved.ok) return setStatus({ kind: 'error', text: saved.error.message });
      return setStatus({ kind: 'done', text: savedMessage(name ?? saved.value.path, saved.value.bytes, format) });
    }
    setStatus({ kind: 'busy', text: 'Writing the report…' });
    const rendered = await api.call('report.render', { format });
    if (!rendered.ok) return setStatus({ kind: 'error', text: rendered.error.message });
    downloadText(rendered.value.text, rendered.value.suggestedName, MIME_TYPES[format]);
    setStatus({ kind: 'done', text: `Downloaded ${rendered.value.suggestedName}` });
  }, [api, transport, format]);

  // File > Export report… (Ctrl+E): the same as the button, once the session is loaded
  const exportFromMenu = useCallback(() => void exportReport(), [exportReport]);
  useMenuCommand('export-report', exportFromMenu, bundle !== null);

  async function clear() {
    const result = await api.call('session.clear', {});
    if (!result.ok) return setStatus({ kind: 'error', text: result.error.message });
    setStatus({ kind: 'idle' });
    await refresh();
  }

  const rows = bundle ? bundleRows(bundle) : [];
  return (
    <section className="card report-view" aria-labelledby="report-title">
      <h2 id="report-title">Reports</h2>
      <p className="muted">
        A report holds every experiment run and every capture opened in this session: the headline numbers, a timeline, a table per
        connection and the explanations. HTML opens offline in any browser and prints well; Markdown suits a course forum; JSON can be
        turned back into either with <code>keepalive-lab report --from FILE.json --out FILE.html</code>.
      </p>
      <div className="report-actions">
        <label>
          Format{' '}
          <select value={format} onChange={(event) => setFormat(event.target.value as ReportFormat)}>
            {(Object.keys(FORMAT_LABELS) as ReportFormat[]).map((name) => (
              <option key={name} value={name}>
                {FORMAT_LABELS[name]}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="primary"
          onClick={() => void exportReport()}
          disabled={status.kind === 'busy' || rows.length === 0}
        >
          Export report
        </button>
        <button type="button" onClick={() => void refresh()}>
          Refresh
        </button>
        <button type="button" onClick={() => void clear()} disabled={rows.length === 0}>
          Clear session
        </button>
      </div>
      <p role="status" aria-live="polite" className={`report-status ${status.kind}`} data-testid="report-status">
        {status.kind === 'idle' ? '' : status.text}
      </p>
      {rows.length === 0 ? (
        <p className="muted" data-testid="report-empty">
          Nothing yet: run an experiment in the Lab or open a capture, then come back to export what you found.
        </p>
      ) : (
        <table className="report-table" data-testid="report-contents">
          <thead>
            <tr>
              <th scope="col">What</th>
              <th scope="col">Kind</th>
              <th scope="col">Headline</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key}>
                <td>{row.title}</td>
                <td>{row.kind}</td>
                <td>{row.headline}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
