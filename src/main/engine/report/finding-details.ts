/**
 * Findings with their explanations filled in: for each explanation kind a
 * session or a capture shows, the values the tool compared (where one event
 * stands for the rest) and a "seen here" line with the figures behind it.
 * Values a report cannot know (a probe's sequence number in an aggregate)
 * leave the rule in words: "one less than the next expected" (see fillTemplate).
 */
import { renderExplanation, type ExplainKind, type ExplainValues, type RenderedExplanation } from '@shared/explain';
import type { CaptureFigures, ReportCapture, SessionFigures } from '@shared/report-model';
import type { Session } from '@shared/trace';
import { connectionLimit, findSetting, plural, tlsSettings } from './session-figures';
import { limitSettingWords, poolWaits } from '@shared/pool-waits';
import { tlsFindingValues } from './tls-findings';
import { MID_CONNECTION_EXAMPLE } from '../capture/capture-summary';
import { http2FindingDetails, http2RunOf } from './http2-report';
import { harFindingDetails } from './har-findings';
import { harRunOf } from './har-report';

export interface FindingDetail {
  /** an explanation of explain.ts, or of an HTTP/2 run (its kinds are explain-http2-text.ts's) */
  explanation: Omit<RenderedExplanation, 'kind'> & { kind: string };
  /** the figures of this report behind the finding */
  seenHere: string;
}

function secondsText(value: number | null): string {
  return value === null ? 'n/a' : `${value < 10 ? value.toFixed(3) : value.toFixed(1)} s`;
}

/** ", spacing 1.0 s–2.1 s" over the streams' probe spacings; one value when they agree; nothing without any. */
function spacingText(spacings: readonly number[]): string {
  if (spacings.length === 0) return '';
  const low = secondsText(Math.min(...spacings));
  const high = secondsText(Math.max(...spacings));
  return `, spacing ${low === high ? low : `${low}–${high}`}`;
}

function numberSetting(settings: Record<string, unknown>, names: readonly string[]): number | undefined {
  const value = findSetting(settings, names);
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function sessionValues(kind: ExplainKind, session: Session, figures: SessionFigures): { values: ExplainValues; seenHere: string } {
  const target = findSetting(session.settings, ['url', 'target', 'origin']);
  const firstConnection = figures.perConnection[0];
  const reusedConnection = [...figures.perConnection].sort((left, right) => right.reusedRequests - left.reusedRequests)[0];
  const lastEnded = [...session.events].reverse().find((event) => event.kind === 'request-ended' && event.reused === true);
  const firstStarted = session.events.find((event) => event.kind === 'request-started');
  const totals = `${plural(figures.requests, 'request')} on ${plural(figures.connections, 'connection')}, ${figures.reusedRequests} reused`;
  switch (kind) {
    case 'connection-reused':
      return {
        values: {
          request: lastEnded?.kind === 'request-ended' ? lastEnded.request : undefined,
          conn: reusedConnection?.label,
          previousRequests: reusedConnection ? reusedConnection.requests - 1 : undefined,
        },
        seenHere: `${totals}: ${plural(figures.reusedRequests, 'handshake')} saved.`,
      };
    case 'new-connection':
      return {
        values: {
          target: typeof target === 'string' ? target : firstConnection?.remote,
          request: firstStarted?.kind === 'request-started' ? firstStarted.request : undefined,
          conn: firstConnection?.label,
        },
        seenHere: `${plural(figures.perConnection.filter((connection) => connection.via !== 'pool').length, 'connection')} opened for ${plural(figures.requests, 'request')}.`,
      };
    case 'new-connection-body-not-drained':
    case 'keepalive-off':
      return {
        values: {
          connections: figures.connections,
          requests: figures.requests,
          bodyMode: String(findSetting(session.settings, ['body', 'bodyMode', 'bodyHandling', 'consumeBody']) ?? ''),
          keepAlive:
            findSetting(session.settings, ['client']) === 'undici'
              ? 'off (undici pipelining 0)'
              : String(findSetting(session.settings, ['keepAlive', 'keepalive', 'httpKeepAlive']) ?? ''),
        },
        seenHere: `${totals}.`,
      };
    case 'queued-above-max-sockets':
    case 'pool-wait': {
      // the same count and longest wait as the lab's card and Compare (pool-waits.ts)
      const waits = poolWaits(session);
      const size = connectionLimit(session.settings);
      return {
        values: {
          waiting: waits.requests,
          maxSockets: size,
          poolSize: size,
          waitMs: waits.longestMs,
          // the client's own name for its limit, as the lab's card says it
          limitSetting: limitSettingWords(findSetting(session.settings, ['client']) === 'undici' ? 'connections' : 'maxSockets'),
        },
        seenHere:
          kind === 'queued-above-max-sockets'
            ? `${plural(waits.requests, 'request')} waited for a free connection.`
            : `${plural(waits.requests, 'wait')} recorded.`,
      };
    }
    case 'stale-race': {
      const failed = session.events.find((event) => event.kind === 'request-ended' && event.reused === true && event.error !== null);
      return {
        values: {
          request: failed?.kind === 'request-ended' ? failed.request : undefined,
          conn: failed?.conn,
          error: failed?.kind === 'request-ended' ? failed.error : undefined,
          serverTimeoutMs: numberSetting(session.settings, ['serverKeepAliveTimeoutMs', 'keepAliveTimeoutMs', 'keepAliveTimeout']),
        },
        seenHere: `${plural(figures.failedRequests, 'request')} failed.`,
      };
    }
    case 'half-open-peer': {
      const detected = session.events.find((event) => event.kind === 'half-open-detected');
      return {
        values: { reason: detected?.kind === 'half-open-detected' ? detected.reason : undefined },
        seenHere: detected ? `on connection ${detected.conn}.` : 'The detection event was not recorded.',
      };
    }
    case 'fin-vs-rst': {
      const reset = figures.perConnection.filter((connection) => connection.closedHow === 'rst');
      const first = reset[0];
      return {
        values: { conn: first?.label, how: 'RST', by: first?.closedBy },
        seenHere: `${plural(reset.length, 'connection')} ended with RST, ${figures.perConnection.filter((connection) => connection.closedHow === 'fin').length} with FIN.`,
      };
    }
    default: {
      const probing = figures.perConnection.filter((connection) => connection.probes > 0);
      const spacing = probing.find((connection) => connection.probeSpacingS !== null)?.probeSpacingS ?? null;
      return {
        values: {},
        seenHere: `${plural(figures.probes, 'keep-alive probe')} on ${plural(probing.length, 'connection')}, spacing ${secondsText(spacing)}.`,
      };
    }
  }
}

export function sessionFindingDetails(session: Session, figures: SessionFigures): FindingDetail[] {
  const http2 = http2RunOf(session);
  if (http2) return http2FindingDetails(http2);
  const har = harRunOf(session);
  if (har) return harFindingDetails(har, figures);
  return figures.findings.map((kind) => {
    const { values, seenHere } =
      tlsFindingValues(kind, session, figures, tlsSettings(session.settings)) ?? sessionValues(kind, session, figures);
    return { explanation: renderExplanation(kind, values), seenHere };
  });
}

const FLAG_OF_KIND: Partial<Record<ExplainKind, string>> = {
  'keepalive-probe': 'keep_alive',
  'keepalive-ack': 'keep_alive_ack',
  'zero-window-probe': 'zero_window_probe',
  'zero-window-probe-ack': 'zero_window_probe_ack',
  'zero-window': 'zero_window',
  'window-update': 'window_update',
  retransmission: 'retransmission',
  'fast-retransmission': 'fast_retransmission',
  'spurious-retransmission': 'spurious_retransmission',
  'out-of-order': 'out_of_order',
  'duplicate-ack': 'duplicate_ack',
  'lost-segment': 'lost_segment',
  'ack-lost-segment': 'ack_lost_segment',
  'reused-ports': 'reused_ports',
};

export function captureFindingDetails(capture: ReportCapture, figures: CaptureFigures): FindingDetail[] {
  return capture.findings.map((kind) => {
    const flag = FLAG_OF_KIND[kind];
    let seenHere = figures.headline;
    const values: Record<string, string | number | null | undefined> = {};
    const example = flag === undefined ? undefined : capture.examples?.[flag];
    if (flag !== undefined) {
      seenHere = `${plural(capture.flagCounts[flag] ?? 0, 'frame')} flagged ${flag} by the analysis.`;
      if (example) {
        // the explanation names the values of one frame: say which, so the reader can find it
        Object.assign(values, { payload: example.payload, frame: example.frame, stream: example.stream }, example.values);
      }
    }
    if (kind === 'keepalive-probe') {
      const spacings = capture.streams.map((stream) => stream.probeSpacingS).filter((value): value is number => value !== null);
      seenHere = `${plural(figures.keepAlives, 'keep-alive probe')} on ${plural(figures.streamsWithProbes, 'connection')}${spacingText(spacings)}.`;
    } else if (kind === 'connection-reused') {
      seenHere = `${plural(figures.httpRequests, 'HTTP request')}, ${figures.reusedRequests} of them on a connection that already carried one.`;
      const busiest = [...capture.streams].sort((left, right) => right.httpRequests - left.httpRequests)[0];
      if (busiest) Object.assign(values, { conn: `stream ${busiest.stream}`, previousRequests: busiest.httpRequests - 1 });
    } else if (kind === 'capture-mid-connection') {
      const first = capture.examples?.[MID_CONNECTION_EXAMPLE];
      if (first) Object.assign(values, { stream: first.stream, frame: first.frame });
    } else if (kind === 'fin-vs-rst') {
      const reset = capture.streams.find((stream) => stream.end === 'rst');
      Object.assign(values, { conn: reset ? `stream ${reset.stream}` : undefined, how: 'RST', by: 'a peer' });
      seenHere = `${plural(figures.endedRst, 'stream')} ended with RST, ${figures.endedFin} with FIN, ${figures.stillOpen} still open.`;
    }
    // the explanation names the values of one frame: say which, so the reader can find it
    if (example)
      seenHere += ` The values above are frame ${example.frame}’s${example.stream === null ? '' : ` (stream ${example.stream})`}.`;
    return { explanation: renderExplanation(kind, values), seenHere };
  });
}
