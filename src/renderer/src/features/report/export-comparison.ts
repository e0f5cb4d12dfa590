/**
 * Exporting two compared runs as a report: the engine renders the pair it holds (by session id),
 * with what differs between them first — the page never sends the runs back. Electron saves where
 * the native dialog points; the web mode downloads the text.
 */
import type { Api } from '@shared/api';
import type { ReportCompare } from '@shared/api-report';
import { suggestedReportName, type ReportFormat } from '@shared/report-model';
import type { Transport } from '@renderer/api/transport';
import { downloadText } from '@renderer/api/files';
import { savedMessage } from './export-name';
import { MIME_TYPES } from './report-rows';

export type ExportStatus =
  { kind: 'idle' } | { kind: 'busy'; text: string } | { kind: 'done'; text: string } | { kind: 'error'; text: string };

/** "keepalive-lab-compare-2026-12-04T21-50-00.html": a compared pair's file, apart from a whole session's. */
export function comparisonFileName(now: Date, format: ReportFormat): string {
  return suggestedReportName({ createdAt: now.toISOString() }, format).replace(/^keepalive-lab-/, 'keepalive-lab-compare-');
}

/** Saves or downloads the pair's report; `onBusy` is told once the writing starts. Resolves with the status to show. */
export async function exportComparison(
  api: Api,
  transport: Transport,
  format: ReportFormat,
  compare: ReportCompare,
  onBusy: (status: ExportStatus) => void,
): Promise<ExportStatus> {
  const name = comparisonFileName(new Date(), format);
  const busy: ExportStatus = { kind: 'busy', text: 'Writing the report of this comparison…' };
  if (transport === 'electron') {
    const chosen = await api.call('file.chooseSave', { title: 'Export this comparison', suggestedName: name, extensions: [format] });
    if (!chosen.ok) return { kind: 'error', text: chosen.error.message };
    if (!chosen.value.path) return { kind: 'idle' };
    onBusy(busy);
    // the native save dialog has already asked before replacing a file
    const saved = await api.call('report.save', { path: chosen.value.path, force: true, compare });
    if (!saved.ok) return { kind: 'error', text: saved.error.message };
    return { kind: 'done', text: savedMessage(chosen.value.name ?? saved.value.path, saved.value.bytes, format) };
  }
  onBusy(busy);
  const rendered = await api.call('report.render', { format, compare });
  if (!rendered.ok) return { kind: 'error', text: rendered.error.message };
  downloadText(rendered.value.text, name, MIME_TYPES[format]);
  return { kind: 'done', text: `Downloaded ${name}` };
}
