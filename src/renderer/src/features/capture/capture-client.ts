/**
 * The Captures view's only door to the engine: the capture methods of the
 * contract (`src/shared/api-capture.ts`), mapped to the view's shapes. Each open
 * capture is an `OpenCapture` (open-capture.ts), which turns the contract's pages by
 * frame into the view's rows by position under a filter.
 */
import type { Api, ApiResult } from '@shared/api';
import type { CaptureSummary, StreamEvents, StreamFilter, StreamSort } from '@shared/api-capture';
import type { CaptureOverview, PacketPage, PacketQuery, PacketListRow, StreamRow } from './capture-model';
import type { CaptureMarks } from './capture-timeline';
import { toOverview, toStreamRow } from './contract-adapter';
import { OpenCapture } from './open-capture';
import { StreamRowsCache } from './stream-rows-cache';

/**
 * Streams capture.open returns with the summary (the first by number, kept for the packet rows that
 * name their endpoints); the rest are paged (`streamWindow`). About 0.5 MB of JSON.
 */
export const FIRST_STREAM_WINDOW = 1000;

/** A window of the stream list: its rows in the list's order, and how many streams match. */
export interface StreamWindowRows {
  rows: StreamRow[];
  total: number;
  offset: number;
  /** with `query.events`: each row's requests and FIN/RST segments, in the rows' order */
  events?: StreamEvents[];
}

export interface CaptureClient {
  readonly api: Api;
  open(path: string, name: string, jobId: string): Promise<ApiResult<CaptureOverview>>;
  /** one of the bundled example captures, by id (the engine knows where it is) */
  openExample(exampleId: string, name: string, jobId: string): Promise<ApiResult<CaptureOverview>>;
  /** a window of the stream list, sorted and filtered by the engine */
  streamWindow(
    captureId: string,
    /** `events`: also the rows' requests and FIN/RST segments, at most this many requests over the window */
    query: { sort: StreamSort; filter?: StreamFilter; events?: number },
    offset: number,
    limit: number,
  ): Promise<ApiResult<StreamWindowRows>>;
  /** one stream's row (asked for when the page does not hold it); null for a number the capture lacks */
  stream(captureId: string, stream: number): Promise<ApiResult<StreamRow | null>>;
  /** a stream's row if the page holds it (every packet row shown has its stream's) */
  cachedStream(captureId: string, stream: number): StreamRow | undefined;
  packets(captureId: string, query: PacketQuery, offset: number, count: number): Promise<ApiResult<PacketPage>>;
  /** one packet with the reasons for its annotations */
  packet(captureId: string, frame: number): Promise<ApiResult<PacketListRow | null>>;
  /** the position of a frame among the packets matching `query`, or -1 */
  indexOfFrame(captureId: string, query: PacketQuery, frame: number): Promise<ApiResult<number>>;
  /** the annotated packets to draw on the timeline */
  marks(captureId: string): Promise<ApiResult<CaptureMarks>>;
  /** frees the engine's copy (its columns can be tens of MB) and this client's */
  close(captureId: string): Promise<void>;
}

type Failure = { ok: false; error: { code: string; message: string } };
const unknownCapture = (captureId: string): Failure => ({
  ok: false,
  error: { code: 'unknown-capture', message: `capture ${captureId} is not open` },
});

export function createCaptureClient(api: Api): CaptureClient {
  const open = new Map<string, OpenCapture>();
  /** Runs `read` on an open capture, or says it is not open. */
  const withCapture = async <T>(captureId: string, read: (capture: OpenCapture) => Promise<ApiResult<T>>): Promise<ApiResult<T>> => {
    const capture = open.get(captureId);
    return capture ? read(capture) : unknownCapture(captureId);
  };

  function remember(summary: CaptureSummary, name: string): CaptureOverview {
    const overview = toOverview(summary, name);
    const rows = summary.streams.map((stream) => toStreamRow(stream, summary.startTime));
    const streams = new StreamRowsCache(api, overview.captureId, summary.startTime);
    streams.remember(rows);
    open.set(overview.captureId, new OpenCapture(api, overview, streams));
    return overview;
  }

  return {
    api,
    async open(path, name, jobId) {
      const result = await api.call('capture.open', { path, name, jobId, streamWindow: FIRST_STREAM_WINDOW });
      // the engine names the file by its path, which in the web mode is a temp upload: name it as the learner knows it
      if (!result.ok) return { ok: false, error: { ...result.error, message: withoutPath(result.error.message, path) } };
      return { ok: true, value: remember(result.value, name) };
    },

    async openExample(exampleId, name, jobId) {
      const result = await api.call('capture.openExample', { exampleId, jobId, streamWindow: FIRST_STREAM_WINDOW });
      return result.ok ? { ok: true, value: remember(result.value, name) } : result;
    },
    streamWindow: (captureId, query, offset, limit) =>
      withCapture(captureId, async (capture) => {
        const events = query.events === undefined ? {} : { events: { maxRequests: query.events } };
        const result = await api.call('capture.streams', { captureId, offset, limit, sort: query.sort, filter: query.filter, ...events });
        if (!result.ok) return result;
        const startTime = capture.overview.firstTimeS ?? 0;
        const rows = result.value.streams.map((stream) => toStreamRow(stream, startTime));
        capture.streams.remember(rows);
        const { total, offset: at } = result.value;
        return { ok: true, value: { rows, total, offset: at, ...(result.value.events ? { events: result.value.events } : {}) } };
      }),
    stream: (captureId, stream) => withCapture(captureId, (capture) => capture.streams.row(stream)),
    cachedStream: (captureId, stream) => open.get(captureId)?.streams.get(stream),
    packets: (captureId, query, offset, count) => withCapture(captureId, (capture) => capture.packets(query, offset, count)),
    packet: (captureId, frame) => withCapture(captureId, (capture) => capture.packet(frame)),
    indexOfFrame: (captureId, query, frame) => withCapture(captureId, (capture) => capture.indexOfFrame(query, frame)),
    marks: (captureId) => withCapture(captureId, (capture) => capture.marks()),
    async close(captureId) {
      if (!open.delete(captureId)) return;
      await api.call('capture.close', { captureId });
    },
  };
}

/** "PATH: reason" → "reason". */
export function withoutPath(message: string, path: string): string {
  return message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message;
}
