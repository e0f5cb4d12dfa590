/**
 * The Captures view's only door to the engine: the capture methods of the
 * contract (`src/shared/api-capture.ts`), mapped to the view's shapes. Each open
 * capture is an `OpenCapture` (open-capture.ts), which turns the contract's pages by
 * frame into the view's rows by position under a filter.
 */
import type { Api, ApiResult } from '@shared/api';
import type { CaptureSummary } from '@shared/api-capture';
import type { CaptureOverview, PacketPage, PacketQuery, PacketListRow, StreamRow } from './capture-model';
import type { CaptureMarks } from './capture-timeline';
import { toOverview, toStreamRow } from './contract-adapter';
import { OpenCapture } from './open-capture';

export interface CaptureClient {
  readonly api: Api;
  open(path: string, name: string, jobId: string): Promise<ApiResult<CaptureOverview>>;
  /** one of the bundled example captures, by id (the engine knows where it is) */
  openExample(exampleId: string, name: string, jobId: string): Promise<ApiResult<CaptureOverview>>;
  streams(captureId: string): Promise<ApiResult<StreamRow[]>>;
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
    const streams = new Map(summary.streams.map((stream) => [stream.stream, toStreamRow(stream, summary.startTime)]));
    open.set(overview.captureId, new OpenCapture(api, overview, streams));
    return overview;
  }

  return {
    api,
    async open(path, name, jobId) {
      const result = await api.call('capture.open', { path, name, jobId });
      // the engine names the file by its path, which in the web mode is a temp upload: name it as the learner knows it
      if (!result.ok) return { ok: false, error: { ...result.error, message: withoutPath(result.error.message, path) } };
      return { ok: true, value: remember(result.value, name) };
    },

    async openExample(exampleId, name, jobId) {
      const result = await api.call('capture.openExample', { exampleId, jobId });
      return result.ok ? { ok: true, value: remember(result.value, name) } : result;
    },
    streams: (captureId) => withCapture(captureId, async (capture) => ({ ok: true, value: [...capture.streams.values()] })),
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
