/**
 * How each span and mark kind looks: its colour (a CSS variable of the lead's
 * theme, with a fallback) and where it sits vertically in a lane row. Shared by
 * the canvas drawing, hit-testing and the DOM legend, so all three agree.
 *
 * Row of ROW_HEIGHT_PX = 22 (y offsets from the row top, CSS px):
 *    2 ┬ probe / ZWP ticks (upper half: sent into the idle connection)
 *      │         FIN / RST / retransmission: full height
 *    6 ┼ ▆▆▆▆ request ▆▆▆▆ (10 px)   ▬ handshake (8 px), then ▬ TLS handshake (8 px) over https
 *   11 ┼ ─── idle (2 px) ───   waiting in the pool (4 px)   ═══ busy, body unread (6 px)
 *   16 ┼ ▆▆▆▆▆▆▆▆▆▆▆▆▆▆▆▆
 *   20 ┴ ACK ticks (lower half: the answer)
 */
import type { TermId } from '@shared/glossary';
import { HTTP2_WORDS, MARK_KIND_LABEL, SPAN_KIND_LABEL, type MarkKind, type Span, type SpanKind } from './timeline-model';

export const PALETTE_VARIABLES = ['bg', 'fg', 'muted', 'accent', 'new', 'reused', 'probe', 'ack', 'warn', 'rst', 'fin', 'grid'] as const;
export type PaletteName = (typeof PALETTE_VARIABLES)[number];
export type Palette = Record<PaletteName, string>;

/** Used when the theme does not define a variable (light theme values). */
export const FALLBACK_PALETTE: Palette = {
  bg: '#ffffff',
  fg: '#1f2328',
  muted: '#8c959f',
  accent: '#8250df',
  new: '#d1242f',
  reused: '#1a7f37',
  probe: '#0969da',
  ack: '#54aeff',
  warn: '#bf8700',
  rst: '#cf222e',
  fin: '#6e7781',
  grid: '#d0d7de',
};

/** Reads `--name` through `readVariable` (e.g. getComputedStyle(...).getPropertyValue), falling back per name. */
export function readPalette(readVariable: (name: string) => string): Palette {
  const palette = { ...FALLBACK_PALETTE };
  for (const name of PALETTE_VARIABLES) {
    const value = readVariable(`--${name}`).trim();
    if (value) palette[name] = value;
  }
  return palette;
}

/** A vertical band inside a row: offset from the row top and height (CSS px). */
export interface Band {
  top: number;
  height: number;
}

export const LIFELINE_BAND: Band = { top: 10.5, height: 1 };

export function spanBand(kind: SpanKind): Band {
  switch (kind) {
    case 'request':
      return { top: 6, height: 10 };
    case 'handshake':
    case 'tls-handshake':
      return { top: 7, height: 8 };
    case 'pool-wait':
      return { top: 9, height: 4 };
    case 'body-unread':
      return { top: 8, height: 6 };
    case 'idle':
      return { top: 10, height: 2 };
  }
}

export function spanColor(span: Pick<Span, 'kind' | 'reused' | 'failed'>): PaletteName {
  switch (span.kind) {
    case 'request':
      if (span.failed === true) return 'rst';
      return span.reused === true ? 'reused' : span.reused === false ? 'new' : 'accent';
    case 'body-unread':
      return 'accent';
    case 'handshake':
      return 'fg';
    case 'tls-handshake':
      return 'probe';
    case 'pool-wait':
      return 'warn';
    case 'idle':
      return 'muted';
  }
}

export interface MarkStyle {
  band: Band;
  /** tick width (CSS px) */
  width: number;
  color: PaletteName;
}

export const MARK_STYLE: Readonly<Record<MarkKind, MarkStyle>> = {
  'keepalive-probe': { band: { top: 2, height: 9 }, width: 2, color: 'probe' },
  'keepalive-ack': { band: { top: 11, height: 9 }, width: 2, color: 'ack' },
  'zero-window-probe': { band: { top: 2, height: 9 }, width: 3, color: 'accent' },
  retransmission: { band: { top: 2, height: 18 }, width: 1, color: 'warn' },
  fin: { band: { top: 1, height: 20 }, width: 2, color: 'fin' },
  rst: { band: { top: 1, height: 20 }, width: 3, color: 'rst' },
  // HTTP/2's own keep-alive: a PING and its ACK, drawn like a probe; a GOAWAY ends the connection like a FIN
  ping: { band: { top: 2, height: 18 }, width: 2, color: 'probe' },
  goaway: { band: { top: 1, height: 20 }, width: 4, color: 'warn' },
};

/** A request bar's name, the same in the legend and on hover. */
export const REQUEST_WORDS = {
  new: 'request on a new connection',
  reused: 'request on a reused connection',
  // e.g. a HAR entry on a connection set up before the recording began: the file cannot say
  unknown: 'request, new or reused not known',
} as const;

/** What a legend entry stands for: a request bar by how it went, or a span or mark kind (legend-drawn.ts finds which a model draws). */
export type LegendKey = 'request-new' | 'request-reused' | 'request-unknown' | 'request-failed' | Exclude<SpanKind, 'request'> | MarkKind;

export interface LegendEntry {
  key: LegendKey;
  label: string;
  color: PaletteName;
  shape: 'bar' | 'tick' | 'line';
  /** the glossary word whose help the label shows on hover and focus; absent where the glossary has no such word */
  term?: TermId;
}

/**
 * Legend entries, in the order a learner reads them. No HTTP/2 PING or GOAWAY: only an HTTP/2 run's
 * trace has them (http2-frame events), and its timeline uses LEGEND_HTTP2.
 */
export const LEGEND: readonly LegendEntry[] = [
  { key: 'request-new', label: REQUEST_WORDS.new, color: 'new', shape: 'bar', term: 'newRequest' },
  { key: 'request-reused', label: REQUEST_WORDS.reused, color: 'reused', shape: 'bar', term: 'reusedRequest' },
  { key: 'request-unknown', label: REQUEST_WORDS.unknown, color: 'accent', shape: 'bar', term: 'unknownRequest' },
  { key: 'request-failed', label: 'failed request', color: 'rst', shape: 'bar', term: 'failedRequest' },
  { key: 'handshake', label: 'handshake', color: 'fg', shape: 'bar', term: 'handshake' },
  { key: 'tls-handshake', label: SPAN_KIND_LABEL['tls-handshake'], color: 'probe', shape: 'bar', term: 'tlsHandshake' },
  { key: 'idle', label: SPAN_KIND_LABEL.idle, color: 'muted', shape: 'line', term: 'idleGap' },
  { key: 'body-unread', label: SPAN_KIND_LABEL['body-unread'], color: 'accent', shape: 'line', term: 'bodyUnread' },
  { key: 'pool-wait', label: SPAN_KIND_LABEL['pool-wait'], color: 'warn', shape: 'line', term: 'poolWait' },
  { key: 'keepalive-probe', label: MARK_KIND_LABEL['keepalive-probe'], color: 'probe', shape: 'tick', term: 'keepAliveProbe' },
  { key: 'keepalive-ack', label: MARK_KIND_LABEL['keepalive-ack'], color: 'ack', shape: 'tick', term: 'keepAliveAck' },
  { key: 'zero-window-probe', label: MARK_KIND_LABEL['zero-window-probe'], color: 'accent', shape: 'tick', term: 'zeroWindowProbe' },
  { key: 'retransmission', label: MARK_KIND_LABEL.retransmission, color: 'warn', shape: 'tick', term: 'retransmission' },
  { key: 'fin', label: MARK_KIND_LABEL.fin, color: 'fin', shape: 'tick', term: 'fin' },
  { key: 'rst', label: MARK_KIND_LABEL.rst, color: 'rst', shape: 'tick', term: 'rst' },
];

/**
 * The legend of an HTTP/2 run's timeline: the same colours in HTTP/2 words (streams, a wait for a
 * stream slot), and only what such a run draws — its trace has no TCP probes, zero windows or
 * retransmissions, and no unread body holds an HTTP/2 connection.
 */
export const LEGEND_HTTP2: readonly LegendEntry[] = [
  { key: 'request-new', label: HTTP2_WORDS.newRequest, color: 'new', shape: 'bar' },
  { key: 'request-reused', label: HTTP2_WORDS.reusedRequest, color: 'reused', shape: 'bar' },
  { key: 'request-failed', label: HTTP2_WORDS.failedRequest, color: 'rst', shape: 'bar' },
  { key: 'handshake', label: 'handshake', color: 'fg', shape: 'bar', term: 'handshake' },
  { key: 'idle', label: HTTP2_WORDS.idle, color: 'muted', shape: 'line', term: 'idleGap' },
  // not the glossary's "pool wait": that one is about maxSockets, this one about the server's stream limit
  { key: 'pool-wait', label: HTTP2_WORDS.waiting, color: 'warn', shape: 'line', term: 'streamSlotWait' },
  { key: 'ping', label: MARK_KIND_LABEL.ping, color: 'probe', shape: 'tick', term: 'http2Ping' },
  { key: 'goaway', label: MARK_KIND_LABEL.goaway, color: 'warn', shape: 'tick', term: 'goaway' },
  { key: 'fin', label: MARK_KIND_LABEL.fin, color: 'fin', shape: 'tick', term: 'fin' },
  { key: 'rst', label: MARK_KIND_LABEL.rst, color: 'rst', shape: 'tick', term: 'rst' },
];
