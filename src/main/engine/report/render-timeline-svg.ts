/**
 * The report's timeline as inline SVG: a lane per connection, time left to
 * right. The number of SVG elements is bounded whatever the input size: at
 * most MAX_LANES lanes (the rest folded into one "all connections" density
 * lane) and at most MAX_MARKS_PER_CLASS marks of each class per lane (marks
 * beyond that are merged into buckets), so a report of a 3 M-packet capture
 * stays small and renders fast.
 */
import type { ReportCapture, ReportStream, SessionFigures } from '@shared/report-model';
import type { Session } from '@shared/trace';
import { captureSpanS, inTimeGroup } from './capture-figures';
import { escapeHtml, formatCount, formatDuration } from './escape';
import { plural } from '@shared/counting';

export const MAX_LANES = 30;
export const MAX_MARKS_PER_CLASS = 60;
const DENSITY_BINS = 120;
const WIDTH = 960;
const LABEL_WIDTH = 200;
const LANE_HEIGHT = 18;
const AXIS_HEIGHT = 24;
const PLOT_WIDTH = WIDTH - LABEL_WIDTH - 10;

export type SpanClass = 'new' | 'reused' | 'failed' | 'fin' | 'rst' | 'open' | 'timeout' | 'error';

export interface TimelineLane {
  label: string;
  /** seconds from the timeline's start */
  startS: number;
  endS: number;
  closedHow: string;
  spans: { fromS: number; toS: number; spanClass: SpanClass }[];
  probes: number[];
  /** extra text after the lane (e.g. "8 probes") */
  note: string;
}

export interface TimelineModel {
  title: string;
  durationS: number;
  lanes: TimelineLane[];
  /** connections not drawn as their own lane */
  hiddenLanes: number;
  /** start times (s) of every connection, for the density lane when lanes are hidden */
  density: number[] | null;
}

interface LaneMarks {
  spans: TimelineLane['spans'];
  probes: number[];
}

/** One pass over the events: each connection's request spans and probe times, seconds. */
function marksByConnection(session: Session, pooled: ReadonlySet<string>): Map<string, LaneMarks> {
  const starts = new Map<string, { fromS: number; conn: string | undefined }>();
  const marks = new Map<string, LaneMarks>();
  const marksOf = (conn: string) => {
    let found = marks.get(conn);
    if (!found) marks.set(conn, (found = { spans: [], probes: [] }));
    return found;
  };
  for (const event of session.events) {
    if (event.kind === 'request-started') starts.set(event.request, { fromS: event.t / 1e6, conn: event.conn });
    else if (event.kind === 'request-ended') {
      const started = starts.get(event.request);
      const conn = event.conn ?? started?.conn;
      if (conn === undefined) continue;
      marksOf(conn).spans.push({
        fromS: started?.fromS ?? event.t / 1e6,
        toS: event.t / 1e6,
        // reuse not known (null) on a connection taken from a pool, or set up before a HAR began: it was already open
        spanClass: event.error !== null ? 'failed' : (event.reused ?? pooled.has(conn)) ? 'reused' : 'new',
      });
    } else if (event.kind === 'wire-seen' && event.mark === 'keepalive-probe') marksOf(event.conn).probes.push(event.t / 1e6);
    // HTTP/2's own keep-alive: a PING is drawn where a TCP probe would be (the legend says which)
    else if (event.kind === 'http2-frame' && event.frame === 'ping') marksOf(event.conn).probes.push(event.t / 1e6);
  }
  return marks;
}

/** "3 req, 2 probes" — or on HTTP/2 "20 streams, 3 PINGs". */
function laneNote(connection: SessionFigures['perConnection'][number], ticks: number, http2: boolean): string {
  if (http2) return `${plural(connection.requests, 'stream')}${ticks > 0 ? `, ${plural(ticks, 'PING')}` : ''}`;
  return `${plural(connection.requests, 'request')}${connection.probes > 0 ? `, ${plural(connection.probes, 'probe')}` : ''}`;
}

/** How a lane ended, in the tooltip's words (trace.ts's CloseHow). */
const END_WORDS: Readonly<Record<string, string>> = {
  fin: 'closed with FIN',
  rst: 'closed with RST',
  timeout: 'timed out',
  error: 'failed',
  open: 'still open at the end',
  unrecorded: 'its close is not in the file (a HAR records none)',
};

/**
 * Lane labels are cut to the label column and given whole in the lane's title. 11 px system-ui
 * averages 6–7 px a character; 7.2 holds for a run of wide ones ("www.googletagmanager.com":
 * Chromium lays out 26 characters of it in 175 px).
 */
const LABEL_CHARS = Math.floor((LABEL_WIDTH - 10) / 7.2);

export function fitLabel(label: string): string {
  return label.length > LABEL_CHARS ? `${label.slice(0, LABEL_CHARS - 1)}…` : label;
}

/** Room after the last drawn thing, as a share of the axis (the app's timeline keeps the same 1 %). */
const EDGE_ROOM = 0.01;

/**
 * The latest opening, close, span end or probe among the connections, seconds; null when none has any. The
 * run's own duration also counts its teardown (the lab stops its server and writes its notes after
 * the last close): an axis to that end showed an empty stretch, 3.3× the content on a keep-alive-off run.
 */
function drawnEndS(connections: SessionFigures['perConnection'], marks: ReadonlyMap<string, LaneMarks>): number | null {
  let end: number | null = null;
  const take = (seconds: number | null | undefined) => {
    if (seconds !== null && seconds !== undefined && (end === null || seconds > end)) end = seconds;
  };
  for (const connection of connections) {
    take(connection.openedS);
    take(connection.closedS);
    const found = marks.get(connection.id);
    for (const span of found?.spans ?? []) take(span.toS);
    for (const probe of found?.probes ?? []) take(probe);
  }
  return end;
}

export function sessionTimeline(session: Session, figures: SessionFigures): TimelineModel {
  const pooled = new Set(figures.perConnection.filter((connection) => connection.via === 'pool').map((connection) => connection.id));
  const marks = marksByConnection(session, pooled);
  const http2 = figures.http2 !== undefined;
  // a HAR records no closes: its lanes end with their last entry, not "still open" at the file's end
  const har = session.kind === 'har';
  const lastSpanS = (id: string, fromS: number) => Math.max(fromS, ...(marks.get(id)?.spans ?? []).map((span) => span.toS));
  // the axis ends where the lanes' content ends; a connection still open is drawn to there
  const contentEndS = drawnEndS(figures.perConnection, marks);
  const endS = contentEndS === null || contentEndS <= 0 ? figures.durationS : Math.min(figures.durationS, contentEndS);
  const lanes = figures.perConnection.slice(0, MAX_LANES).map((connection) => ({
    label: connection.label,
    startS: connection.openedS ?? 0,
    endS: har ? lastSpanS(connection.id, connection.openedS ?? 0) : (connection.closedS ?? endS),
    closedHow: har ? 'unrecorded' : connection.closedHow,
    spans: marks.get(connection.id)?.spans ?? [],
    probes: marks.get(connection.id)?.probes ?? [],
    note: laneNote(connection, marks.get(connection.id)?.probes.length ?? 0, http2),
  }));
  const hidden = Math.max(0, figures.perConnection.length - MAX_LANES);
  return {
    title: session.title,
    durationS: endS === figures.durationS ? endS : Math.min(figures.durationS, endS * (1 + EDGE_ROOM)),
    lanes,
    hiddenLanes: hidden,
    density: hidden > 0 ? figures.perConnection.map((connection) => connection.openedS ?? 0) : null,
  };
}

/**
 * A capture's streams as lanes. `group`: the busiest group of packets when the capture's timestamps
 * fall in groups far apart: the axis fits to it and only its streams are drawn (an axis over years
 * would draw every stream as a sliver), as the app's timeline does.
 */
export function captureTimeline(
  file: string,
  allStreams: readonly ReportStream[],
  allShown: readonly ReportStream[],
  group?: ReportCapture['mainGroup'],
): TimelineModel {
  const streams = allStreams.filter((stream) => inTimeGroup(stream, group));
  const shown = allShown.filter((stream) => inTimeGroup(stream, group));
  const span = group ?? captureSpanS(streams) ?? { startS: 0, endS: 0 };
  const lanes = shown.slice(0, MAX_LANES).map((stream) => ({
    label: `stream ${stream.stream}${stream.keepAlives > 0 ? ` · ${plural(stream.keepAlives, 'probe')}` : ''}`,
    startS: stream.firstTime - span.startS,
    endS: stream.lastTime - span.startS,
    closedHow: stream.end,
    spans: [{ fromS: stream.firstTime - span.startS, toS: stream.lastTime - span.startS, spanClass: stream.end }],
    probes: [],
    note: `${plural(stream.packets, 'packet')}${stream.keepAlives > 0 ? `, ${plural(stream.keepAlives, 'probe')}` : ''}`,
  }));
  const hidden = Math.max(0, streams.length - lanes.length);
  return {
    title: group
      ? `${file}: the busiest group of packets (${plural(group.packets, 'packet')}, ${plural(streams.length, 'stream')}); the others lie far apart in time`
      : file,
    durationS: span.endS - span.startS,
    lanes,
    hiddenLanes: hidden,
    density: hidden > 0 ? streams.map((stream) => stream.firstTime - span.startS) : null,
  };
}

/** Merges spans into at most `limit` buckets along the lane; a bucket keeps the class seen most. */
function boundSpans(spans: TimelineLane['spans'], durationS: number, limit: number): TimelineLane['spans'] {
  if (spans.length <= limit || durationS <= 0) return spans;
  const bucketS = durationS / limit;
  const buckets = new Map<number, { fromS: number; toS: number; classes: Map<SpanClass, number> }>();
  for (const span of spans) {
    const index = Math.min(limit - 1, Math.floor(span.fromS / bucketS));
    const bucket = buckets.get(index) ?? { fromS: span.fromS, toS: span.toS, classes: new Map() };
    bucket.fromS = Math.min(bucket.fromS, span.fromS);
    bucket.toS = Math.max(bucket.toS, span.toS);
    bucket.classes.set(span.spanClass, (bucket.classes.get(span.spanClass) ?? 0) + 1);
    buckets.set(index, bucket);
  }
  return [...buckets.values()].map((bucket) => ({
    fromS: bucket.fromS,
    toS: bucket.toS,
    spanClass: [...bucket.classes.entries()].sort((left, right) => right[1] - left[1])[0]?.[0] ?? 'new',
  }));
}

function boundTicks(times: readonly number[], durationS: number, limit: number): number[] {
  if (times.length <= limit || durationS <= 0) return [...times];
  const bucketS = durationS / limit;
  return [...new Set(times.map((time) => Math.min(limit - 1, Math.floor(time / bucketS))))].map((index) => (index + 0.5) * bucketS);
}

/** Tick steps that read well in their unit (formatDuration): 1-2-5 below a minute, then 1, 2, 5, 10, 15, 30 min, then hours. */
const NICE_STEPS_S = [
  ...[1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10].flatMap((power) => [power, 2 * power, 5 * power]),
  60,
  120,
  300,
  600,
  900,
  1800,
  3600,
  7200,
  10800,
  21600,
  43200,
  86400,
];

function axisTicks(durationS: number): number[] {
  if (durationS <= 0) return [0];
  const rough = durationS / 6;
  const step = NICE_STEPS_S.find((candidate) => candidate >= rough) ?? Math.ceil(rough / 86400) * 86400;
  const ticks: number[] = [];
  for (let tick = 0; tick <= durationS + step * 1e-9 && ticks.length < 12; tick += step) ticks.push(tick);
  return ticks;
}

/** Renders the model; every text is escaped, no element references anything outside the file. */
export function renderTimelineSvg(model: TimelineModel): string {
  const durationS = Math.max(model.durationS, 1e-6);
  const x = (seconds: number) => (LABEL_WIDTH + (Math.max(0, Math.min(seconds, durationS)) / durationS) * PLOT_WIDTH).toFixed(1);
  const densityLanes = model.density ? 1 : 0;
  const height = AXIS_HEIGHT + (model.lanes.length + densityLanes) * LANE_HEIGHT + 8;
  const parts: string[] = [];
  parts.push(
    `<svg class="timeline" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${escapeHtml(`Timeline of ${model.title}`)}">`,
  );
  for (const tick of axisTicks(model.durationS)) {
    parts.push(
      `<line class="grid" x1="${x(tick)}" y1="${AXIS_HEIGHT - 6}" x2="${x(tick)}" y2="${height}"/><text class="axis" x="${x(tick)}" y="${AXIS_HEIGHT - 10}">${escapeHtml(formatDuration(tick))}</text>`,
    );
  }
  model.lanes.forEach((lane, index) => {
    const top = AXIS_HEIGHT + index * LANE_HEIGHT;
    const middle = top + LANE_HEIGHT / 2;
    parts.push(`<g class="lane" data-lane="${escapeHtml(lane.label)}">`);
    parts.push(`<text class="label" x="4" y="${middle + 4}">${escapeHtml(fitLabel(lane.label))}</text>`);
    parts.push(`<line class="life" x1="${x(lane.startS)}" y1="${middle}" x2="${x(lane.endS)}" y2="${middle}"/>`);
    for (const span of boundSpans(lane.spans, durationS, MAX_MARKS_PER_CLASS)) {
      const left = Number(x(span.fromS));
      const width = Math.max(1.5, Number(x(span.toS)) - left);
      parts.push(
        `<rect class="span ${span.spanClass}" x="${left.toFixed(1)}" y="${top + 4}" width="${width.toFixed(1)}" height="${LANE_HEIGHT - 8}"/>`,
      );
    }
    for (const probe of boundTicks(lane.probes, durationS, MAX_MARKS_PER_CLASS)) {
      parts.push(`<line class="probe" x1="${x(probe)}" y1="${top + 2}" x2="${x(probe)}" y2="${top + LANE_HEIGHT - 2}"/>`);
    }
    if (lane.closedHow === 'fin' || lane.closedHow === 'rst') {
      parts.push(
        `<text class="end ${lane.closedHow}" x="${x(lane.endS)}" y="${middle + 4}">${lane.closedHow === 'rst' ? '✕' : '|'}</text>`,
      );
    }
    parts.push(
      `<title>${escapeHtml(`${lane.label}: ${lane.note}, ${END_WORDS[lane.closedHow] ?? `ended: ${lane.closedHow}`}`)}</title></g>`,
    );
  });
  if (model.density)
    parts.push(renderDensityLane(model.density, model.hiddenLanes, durationS, AXIS_HEIGHT + model.lanes.length * LANE_HEIGHT, x));
  parts.push('</svg>');
  return parts.join('');
}

/** One lane summarising every connection: how many started in each time bin. */
function renderDensityLane(
  starts: readonly number[],
  hidden: number,
  durationS: number,
  top: number,
  x: (seconds: number) => string,
): string {
  const bins = new Array<number>(DENSITY_BINS).fill(0);
  for (const start of starts) {
    const index = Math.min(DENSITY_BINS - 1, Math.max(0, Math.floor((start / durationS) * DENSITY_BINS)));
    bins[index] = (bins[index] ?? 0) + 1;
  }
  const peak = Math.max(1, ...bins);
  const binS = durationS / DENSITY_BINS;
  const bars = bins
    .map((binCount, index) => {
      if (binCount === 0) return '';
      const barHeight = Math.max(1, (binCount / peak) * (LANE_HEIGHT - 4));
      const left = Number(x(index * binS));
      const width = Math.max(1, Number(x((index + 1) * binS)) - left);
      return `<rect class="density" x="${left.toFixed(1)}" y="${(top + LANE_HEIGHT - 2 - barHeight).toFixed(1)}" width="${width.toFixed(1)}" height="${barHeight.toFixed(1)}"/>`;
    })
    .join('');
  const label = `all ${formatCount(starts.length)} (+${formatCount(hidden)} not drawn)`;
  return `<g class="lane aggregate"><text class="label" x="4" y="${top + LANE_HEIGHT / 2 + 4}">${escapeHtml(label)}</text>${bars}<title>${escapeHtml(`connections started per ${formatDuration(binS)}; peak ${peak}`)}</title></g>`;
}
