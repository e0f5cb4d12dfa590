/** What the Reports view lists: one row per experiment and per capture of the session bundle. */
import type { ReportBundle, ReportFormat } from '@shared/report-model';

export const FORMAT_LABELS: Record<ReportFormat, string> = {
  html: 'HTML (one file, opens offline)',
  md: 'Markdown',
  json: 'JSON (the whole session)',
};
export const MIME_TYPES: Record<ReportFormat, string> = { html: 'text/html', md: 'text/markdown', json: 'application/json' };

export interface BundleRow {
  key: string;
  title: string;
  kind: string;
  headline: string;
}

const KIND_LABELS: Record<string, string> = { 'http-lab': 'HTTP lab', 'tcp-lab': 'TCP lab', capture: 'Capture', har: 'HAR file' };

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** An HTTP/2 run's row: streams on connections, its PINGs and GOAWAYs (a stream is never "reused"). */
function http2Headline(session: ReportBundle['sessions'][number]): string {
  const streams = session.events.filter((e) => e.kind === 'request-ended').length;
  const frames = (frame: 'ping' | 'goaway') => session.events.filter((e) => e.kind === 'http2-frame' && e.frame === frame).length;
  const parts = [`${plural(streams, 'stream')} on ${plural(session.connections.length, 'connection')}`];
  if (frames('ping') > 0) parts.push(plural(frames('ping'), 'PING'));
  if (frames('goaway') > 0) parts.push(plural(frames('goaway'), 'GOAWAY'));
  return parts.join(', ');
}

export function bundleRows(bundle: ReportBundle): BundleRow[] {
  const sessions = bundle.sessions.map((session) => {
    if (session.settings['protocol'] === 'h2')
      return { key: `s-${session.id}`, title: session.title, kind: 'HTTP/2 lab', headline: http2Headline(session) };
    const requests = session.events.filter((e) => e.kind === 'request-ended').length;
    const opened = session.events.filter((e) => e.kind === 'conn-opened' && e.via !== 'pool').length;
    const reused = session.events.filter((e) => e.kind === 'request-ended' && e.reused === true).length;
    const parts = [`${session.connections.length} connection${session.connections.length === 1 ? '' : 's'}`];
    if (requests) parts.unshift(`${requests} request${requests === 1 ? '' : 's'}`);
    if (requests) parts.push(`${reused} reused`);
    else if (opened) parts.push(`${opened} opened`);
    return { key: `s-${session.id}`, title: session.title, kind: KIND_LABELS[session.kind] ?? session.kind, headline: parts.join(', ') };
  });
  const captures = bundle.captures.map((capture) => {
    const probes = capture.streams.reduce((sum, s) => sum + s.keepAlives, 0);
    const requests = capture.streams.reduce((sum, s) => sum + s.httpRequests, 0);
    const parts = [
      `${capture.packets.toLocaleString('en-US')} packets`,
      `${capture.streams.length} streams`,
      `${probes} keep-alive probes`,
    ];
    if (requests) parts.push(`${requests} HTTP requests`);
    return { key: `c-${capture.file}`, title: capture.file, kind: 'Capture', headline: parts.join(', ') };
  });
  return [...sessions, ...captures];
}
