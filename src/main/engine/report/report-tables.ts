/**
 * The report's tables as plain rows of text, so the HTML and the Markdown
 * reports show exactly the same figures. Tables are bounded (MAX_TABLE_ROWS):
 * the JSON report keeps every row.
 */
import { CAUSE_WORDS } from '@shared/connection-cause';
import { handshakeMsText } from '@shared/tls-handshake';
import { deadPeerFromSeconds, formatDetection } from '@shared/dead-peer';
import { keepaliveSettingsText, secondsOrNull } from '@shared/keepalive-settings-text';
import type { ConnectionFigures, ReportCapture, ReportStream, SessionFigures } from '@shared/report-model';
import { formatCount, formatDuration } from './escape';
import { median } from '@shared/counting';
import { captureSpanS, inTimeGroup, pickStreams } from './capture-figures';

export const MAX_TABLE_ROWS = 100;

export interface TextTable {
  caption: string;
  headers: string[];
  rows: string[][];
  /** e.g. "4,900 more streams are in the JSON report" */
  note: string | null;
}

const DASH = '–';

/**
 * A table's note on the rows it leaves out: "1 more connection is in the JSON report.", "4,900 more
 * streams (fewer probes, requests and packets) are …"; null when none is left out.
 */
export function moreInJsonNote(hidden: number, noun: string, which = ''): string | null {
  if (hidden <= 0) return null;
  return `${formatCount(hidden)} more ${hidden === 1 ? noun : `${noun}s`}${which} ${hidden === 1 ? 'is' : 'are'} in the JSON report.`;
}

function seconds(value: number | null): string {
  return value === null ? DASH : formatDuration(value);
}

function idleGaps(gaps: readonly number[]): string {
  if (gaps.length === 0) return DASH;
  return `${formatCount(gaps.length)} (median ${formatDuration(median(gaps) ?? 0)}, max ${formatDuration(Math.max(...gaps))})`;
}

/** "idle 7200 s, interval 75 s, 9 probes", each part that is not known said so in words. */
function keepaliveText(keepalive: ConnectionFigures['keepalive']): string {
  if (!keepalive) return 'not recorded';
  if (!keepalive.enabled) return 'off';
  const settings = keepaliveSettingsText(secondsOrNull(keepalive.idleS), secondsOrNull(keepalive.intervalS), keepalive.count);
  const detection = deadPeerFromSeconds({ ...keepalive, userTimeoutMs: null });
  return detection.ms === null ? settings : `${settings}: a vanished peer noticed after ${formatDetection(detection.ms)}`;
}

/** The OS's keepalive defaults as the environment section shows them. */
function openedBecauseText(openedBecause: ConnectionFigures['openedBecause']): string {
  return openedBecause ? `${CAUSE_WORDS[openedBecause.cause].label}: ${openedBecause.detail}` : DASH;
}

/** "TCP 0.3 ms" or "TCP 0.3 ms + TLS 1.3 2.1 ms (full handshake)": what opening the connection cost. */
function setupText(connection: ConnectionFigures): string {
  if (connection.connectMs === null && connection.tls === null) return DASH;
  const tcp = connection.connectMs === null ? 'TCP not timed' : `TCP ${handshakeMsText(connection.connectMs)} ms`;
  const { tls } = connection;
  if (!tls) return tcp;
  const cost = tls.handshakeMs === null ? 'not finished' : `${handshakeMsText(tls.handshakeMs)} ms`;
  return `${tcp} + ${tls.version ?? 'TLS'} ${cost} (${tls.resumed ? 'resumed session' : 'full handshake'}${tls.alpn ? `, ALPN ${tls.alpn}` : ''})`;
}

function closedText(connection: ConnectionFigures): string {
  if (connection.closedHow === 'open') return 'still open';
  const by = connection.closedBy === 'unknown' ? '' : ` by ${connection.closedBy}`;
  return `${connection.closedHow.toUpperCase()}${by} at ${seconds(connection.closedS)}`;
}

export function connectionTable(figures: SessionFigures): TextTable {
  const shown = figures.perConnection.slice(0, MAX_TABLE_ROWS);
  const hidden = figures.perConnection.length - shown.length;
  return {
    caption: `Connections of ${figures.title}`,
    headers: [
      'Connection',
      'Endpoints',
      'Opened',
      'Handshake cost',
      'Why opened',
      'Closed',
      'Requests',
      'Reused',
      'Failed',
      'Idle gaps',
      'Probes (ACKs)',
      'Probe spacing',
      'Keepalive settings',
    ],
    rows: shown.map((connection) => [
      connection.label,
      `${connection.local ?? 'not known'} → ${connection.remote ?? 'not known'}`,
      `${seconds(connection.openedS)}${connection.via === 'pool' ? ' (from pool)' : ''}`,
      setupText(connection),
      openedBecauseText(connection.openedBecause),
      closedText(connection),
      formatCount(connection.requests),
      formatCount(connection.reusedRequests),
      formatCount(connection.failedRequests),
      idleGaps(connection.idleGapsS),
      `${formatCount(connection.probes)} (${formatCount(connection.probeAcks)})`,
      seconds(connection.probeSpacingS),
      keepaliveText(connection.keepalive),
    ]),
    note: moreInJsonNote(hidden, 'connection'),
  };
}

function inferredText(stream: ReportStream): string {
  const { idleS, intervalS, probes } = stream.inferred;
  if (idleS === null && intervalS === null && probes === null) return DASH;
  const settings = keepaliveSettingsText(
    idleS === null ? null : formatDuration(idleS),
    intervalS === null ? null : formatDuration(intervalS),
    probes,
  );
  const detection = deadPeerFromSeconds({ enabled: true, idleS, intervalS, count: probes, userTimeoutMs: null });
  return detection.ms === null ? settings : `${settings}: a vanished peer noticed after ${formatDetection(detection.ms)}`;
}

/** The streams shown in tables and lanes for a capture (the same ones in HTML and Markdown). */
export function shownStreams(capture: ReportCapture): ReportStream[] {
  return pickStreams(capture.streams, MAX_TABLE_ROWS);
}

export function streamTable(capture: ReportCapture): TextTable {
  const shown = shownStreams(capture);
  const hidden = capture.streams.length - shown.length;
  const group = capture.mainGroup;
  // Opened counts from the busiest group's start when the capture's times fall in groups far apart
  const startS = group?.startS ?? captureSpanS(capture.streams)?.startS ?? 0;
  const opened = (stream: ReportStream) =>
    inTimeGroup(stream, group) ? formatDuration(stream.firstTime - startS) : 'in another time group';
  return {
    caption: `Connections (TCP streams) in ${capture.file}`,
    headers: [
      'Stream',
      'Endpoints',
      'Opened',
      'Duration',
      'Closed',
      'Packets',
      'HTTP requests',
      'Reused',
      'Probes (ACKs)',
      'Probe spacing',
      'Inferred keepalive',
    ],
    rows: shown.map((stream) => [
      String(stream.stream),
      `${stream.a} → ${stream.b}`,
      opened(stream),
      formatDuration(stream.lastTime - stream.firstTime),
      stream.end === 'open' ? 'still open' : stream.end.toUpperCase(),
      formatCount(stream.packets),
      formatCount(stream.httpRequests),
      formatCount(Math.max(0, stream.httpRequests - 1)),
      `${formatCount(stream.keepAlives)} (${formatCount(stream.keepAliveAcks)})`,
      seconds(stream.probeSpacingS),
      inferredText(stream),
    ]),
    note: moreInJsonNote(hidden, 'stream', ' (fewer probes, requests and packets)'),
  };
}

export function flagTable(capture: ReportCapture): TextTable {
  const entries = Object.entries(capture.flagCounts).filter(([, frames]) => frames > 0);
  return {
    caption: `Analysis flags in ${capture.file}`,
    headers: ['Flag (tcp.analysis.*)', 'Frames'],
    rows: entries.sort((left, right) => right[1] - left[1]).map(([flag, frames]) => [flag, formatCount(frames)]),
    note: entries.length === 0 ? 'No frame was flagged.' : null,
  };
}

/** Nested settings become dotted keys ("agent.keepAlive"), two levels deep; deeper values are shown as JSON. */
function flattenSettings(settings: Record<string, unknown>, prefix = '', depth = 0): [string, unknown][] {
  return Object.entries(settings).flatMap(([key, value]): [string, unknown][] =>
    value !== null && typeof value === 'object' && !Array.isArray(value) && depth < 2
      ? flattenSettings(value as Record<string, unknown>, `${prefix}${key}.`, depth + 1)
      : [[`${prefix}${key}`, value]],
  );
}

export function settingsTable(title: string, settings: Record<string, unknown>): TextTable {
  const all = flattenSettings(settings);
  const entries = all.slice(0, MAX_TABLE_ROWS);
  const hidden = all.length - entries.length;
  return {
    caption: `Settings of ${title}`,
    headers: ['Setting', 'Value'],
    rows: entries.map(([key, value]) => [key, clip(settingText(value))]),
    note: all.length === 0 ? 'No settings recorded.' : moreInJsonNote(hidden, 'setting'),
  };
}

/** A setting's value for a reader: a setting left unset (null) or absent reads "not set", not "null" or "undefined". */
function settingText(value: unknown): string {
  if (value === null || value === undefined) return 'not set';
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

function clip(text: string, limit = 200): string {
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}
