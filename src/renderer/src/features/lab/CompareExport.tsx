/**
 * "Export this comparison": the two runs shown, as an HTML, Markdown or JSON report that starts
 * with what differs between them (the sentences above the columns) and then holds each run.
 */
import { useId, useState } from 'react';
import type { ReportFormat } from '@shared/report-model';
import { useApi } from '@renderer/api/api-context';
import { exportComparison, type ExportStatus } from '../report/export-comparison';
import { FORMAT_NAMES } from '../report/export-name';
import type { RunRecord } from './compare-model';

interface Props {
  a: RunRecord;
  b: RunRecord;
}

export function CompareExport({ a, b }: Props) {
  const { api, transport } = useApi();
  const id = useId();
  const [format, setFormat] = useState<ReportFormat>('html');
  const [status, setStatus] = useState<ExportStatus>({ kind: 'idle' });

  async function onExport() {
    const compare = { a: a.result.session.id, b: b.result.session.id, titles: [a.title, b.title] as [string, string] };
    setStatus(await exportComparison(api, transport, format, compare, setStatus));
  }

  return (
    <div className="compare-export">
      <label htmlFor={id}>Export this comparison as</label>
      <select id={id} value={format} onChange={(event) => setFormat(event.target.value as ReportFormat)}>
        {(Object.keys(FORMAT_NAMES) as ReportFormat[]).map((name) => (
          <option key={name} value={name}>
            {FORMAT_NAMES[name]}
          </option>
        ))}
      </select>
      <button type="button" onClick={() => void onExport()} disabled={status.kind === 'busy'}>
        Export comparison
      </button>
      <span role="status" aria-live="polite" className={`compare-export-status ${status.kind}`} data-testid="compare-export-status">
        {status.kind === 'idle' ? '' : status.text}
      </span>
    </div>
  );
}
