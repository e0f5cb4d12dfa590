/**
 * "Export as HAR": the run on screen as a HAR 1.2 file that DevTools and HAR viewers open (and this
 * app's Captures view). Electron asks where with the native dialog; the web mode downloads it.
 */
import { useState } from 'react';
import type { Session } from '@shared/trace';
import { useApi } from '@renderer/api/api-context';
import { downloadText } from '@renderer/api/files';
import './har.css';

export function ExportHarButton({ session }: { session: Session }) {
  const { api, transport } = useApi();
  const [status, setStatus] = useState<{ error: boolean; text: string } | null>(null);

  async function exportHar() {
    const rendered = await api.call('har.render', { session });
    if (!rendered.ok) return setStatus({ error: true, text: rendered.error.message });
    if (transport !== 'electron') {
      downloadText(rendered.value.text, rendered.value.suggestedName, 'application/json');
      return setStatus({ error: false, text: `Downloaded ${rendered.value.suggestedName}` });
    }
    const chosen = await api.call('file.chooseSave', {
      title: 'Export run as HAR',
      suggestedName: rendered.value.suggestedName,
      extensions: ['har'],
    });
    if (!chosen.ok) return setStatus({ error: true, text: chosen.error.message });
    if (!chosen.value.path) return setStatus(null);
    // the native save dialog has already asked before replacing an existing file
    const saved = await api.call('har.save', { session, path: chosen.value.path, force: true });
    if (!saved.ok) return setStatus({ error: true, text: saved.error.message });
    setStatus({ error: false, text: `Saved ${saved.value.path} (${saved.value.bytes.toLocaleString('en-US')} bytes)` });
  }

  return (
    <div className="har-export">
      <button type="button" onClick={() => void exportHar()} data-testid="export-har">
        Export as HAR
      </button>
      <span className={status?.error ? 'error-text' : 'muted'} role="status" data-testid="export-har-status">
        {status?.text ?? 'the run as a HAR 1.2 file: open it in DevTools, a HAR viewer, or the Captures view'}
      </span>
    </div>
  );
}
