/**
 * The Captures view's only door to the engine: the capture room's methods of the
 * contract (`src/shared/api-capture.ts`), mapped to the view's shapes. The contract
 * pages packets by frame (optionally one stream, or flagged packets only); the view
 * wants rows by position under a filter, so this keeps, per open capture, the
 * annotated packets in compact columns and the first frame of each stream page.
 */
import type { Api, ApiResult } from '../../../../shared/api';
import type { PacketRow as ContractPacketRow } from '../../../../shared/api-capture';
import { MARK_KIND_CODE } from '../timeline/timeline-model';
import type { CaptureOverview, PacketPage, PacketQuery, PacketRow, StreamRow } from './capture-model';
import type { CaptureMarks } from './capture-timeline';
import { toOverview, toPacketRow, toStreamRow } from './contract-adapter';
import { FlaggedIndex, flagsOfBits, tcpBitsToLetters, type FlaggedColumns } from './flagged-index';

export interface CaptureClient {
  readonly api: Api;
  open(path: string, name: string, jobId: string): Promise<ApiResult<CaptureOverview>>;
  streams(captureId: string): Promise<ApiResult<StreamRow[]>>;
  packets(captureId: string, query: PacketQuery, offset: number, count: number): Promise<ApiResult<PacketPage>>;
  /** one packet with the reasons for its annotations */
  packet(captureId: string, frame: number): Promise<ApiResult<PacketRow | null>>;
  /** the position of a frame among the packets matching `query`, or -1 */
  indexOfFrame(captureId: string, query: PacketQuery, frame: number): Promise<ApiResult<number>>;
  /** the annotated packets to draw on the timeline */
  marks(captureId: string): Promise<ApiResult<CaptureMarks>>;
  /** frees the engine's copy (its columns can be tens of MB) and this client's */
  close(captureId: string): Promise<void>;
}

/** Most rows the contract returns per call. */
const MAX_ROWS_PER_CALL = 5000;
/** Flagged packets per `capture.flagged` call (the contract allows 100,000): a few MB of JSON each. */
const FLAGGED_PER_CALL = 50_000;

interface OpenState {
  overview: CaptureOverview;
  streams: Map<number, StreamRow>;
  flagged: Promise<ApiResult<FlaggedIndex>> | null;
  /** per stream: the first frame of each page of `pageRows` rows */
  streamPageStarts: Map<string, number[]>;
}

type Failure = { ok: false; error: { code: string; message: string } };
const unknownCapture = (captureId: string): Failure => ({
  ok: false,
  error: { code: 'unknown-capture', message: `capture ${captureId} is not open` },
});

export function createCaptureClient(api: Api): CaptureClient {
  const open = new Map<string, OpenState>();

  async function loadFlagged(state: OpenState): Promise<ApiResult<FlaggedIndex>> {
    const index = new FlaggedIndex();
    let fromFrame: number | null = 1;
    // each call returns up to FLAGGED_PER_CALL flagged packets, so this many calls reach the end
    const maxCalls = Math.ceil(state.overview.packets / FLAGGED_PER_CALL) + 2;
    for (let call = 0; call < maxCalls && fromFrame !== null; call++) {
      const page: ApiResult<FlaggedColumns & { nextFrame: number | null }> = await api.call('capture.flagged', {
        captureId: state.overview.captureId,
        fromFrame,
        count: FLAGGED_PER_CALL,
      });
      if (!page.ok) return page;
      index.addColumns(page.value);
      fromFrame = page.value.nextFrame;
    }
    return { ok: true, value: index };
  }

  const flaggedOf = (state: OpenState) => (state.flagged ??= loadFlagged(state));

  function rowFromIndex(state: OpenState, index: FlaggedIndex, at: number): PacketRow {
    const stream = index.stream[at] ?? -1;
    const row: ContractPacketRow = {
      frame: index.frame[at] ?? 0,
      time: index.time[at] ?? 0,
      stream: stream < 0 ? null : stream,
      tcpFlags: tcpBitsToLetters(index.tcp[at] ?? 0),
      payload: index.payload[at] ?? 0,
      flags: flagsOfBits(index.bits[at] ?? 0) as ContractPacketRow['flags'],
      reasons: [],
    };
    return toPacketRow(row, state.streams);
  }

  /** Rows of one stream from `offset`: pages are walked in order, since only the engine knows which frames a stream has. */
  async function streamPage(state: OpenState, stream: number, offset: number, count: number): Promise<ApiResult<PacketPage>> {
    const row = state.streams.get(stream);
    if (!row) return { ok: true, value: { total: 0, offset, rows: [] } };
    const key = `${stream}/${count}`;
    const starts = state.streamPageStarts.get(key) ?? [row.firstFrame];
    state.streamPageStarts.set(key, starts);
    const pageNumber = Math.floor(offset / count);
    // start from the nearest page whose first frame is known; each call reveals the next one
    for (let page = Math.min(pageNumber, starts.length - 1); page <= pageNumber && page < starts.length; page++) {
      const fromFrame = starts[page];
      if (fromFrame === undefined) break;
      const result = await api.call('capture.packets', { captureId: state.overview.captureId, fromFrame, count, filter: { stream } });
      if (!result.ok) return result;
      const next = result.value.nextFrame;
      if (next !== null && starts.length === page + 1 && result.value.rows.length === count) starts.push(next);
      if (page === pageNumber) {
        return {
          ok: true,
          value: { total: row.packets, offset: page * count, rows: result.value.rows.map((packet) => toPacketRow(packet, state.streams)) },
        };
      }
    }
    return { ok: true, value: { total: row.packets, offset, rows: [] } };
  }

  return {
    api,
    async open(path, name, jobId) {
      const result = await api.call('capture.open', { path, name, jobId });
      // the engine names the file by its path, which in the web mode is a temp upload: name it as the learner knows it
      if (!result.ok) return { ok: false, error: { ...result.error, message: withoutPath(result.error.message, path) } };
      const overview = toOverview(result.value, name);
      const streams = new Map(result.value.streams.map((stream) => [stream.stream, toStreamRow(stream, result.value.startTime)]));
      open.set(overview.captureId, { overview, streams, flagged: null, streamPageStarts: new Map() });
      return { ok: true, value: overview };
    },

    async streams(captureId) {
      const state = open.get(captureId);
      return state ? { ok: true, value: [...state.streams.values()] } : unknownCapture(captureId);
    },

    async packets(captureId, query, offset, count) {
      const state = open.get(captureId);
      if (!state) return unknownCapture(captureId);
      if (query.flags.length > 0) {
        const flagged = await flaggedOf(state);
        if (!flagged.ok) return flagged;
        const positions = flagged.value.matching(query.flags, query.stream);
        const rows = Array.from(positions.subarray(offset, offset + count), (at) => rowFromIndex(state, flagged.value, at));
        // the flagged columns carry no Info text: one call fills the page's
        const infos = await api.call('capture.info', { captureId, frames: rows.slice(0, MAX_ROWS_PER_CALL).map((row) => row.frame) });
        if (infos.ok) {
          const byFrame = new Map(infos.value.rows.map((entry) => [entry.frame, entry]));
          for (const row of rows)
            Object.assign(row, { info: byFrame.get(row.frame)?.info ?? '', http: byFrame.get(row.frame)?.http ?? null });
        }
        return { ok: true, value: { total: positions.length, offset, rows } };
      }
      if (query.stream !== null) return streamPage(state, query.stream, offset, count);
      const total = state.overview.packets;
      if (offset >= total) return { ok: true, value: { total, offset, rows: [] } };
      const result = await api.call('capture.packets', { captureId, fromFrame: offset + 1, count: Math.min(count, MAX_ROWS_PER_CALL) });
      if (!result.ok) return result;
      return { ok: true, value: { total, offset, rows: result.value.rows.map((packet) => toPacketRow(packet, state.streams)) } };
    },

    async packet(captureId, frame) {
      const state = open.get(captureId);
      if (!state) return unknownCapture(captureId);
      const result = await api.call('capture.packets', { captureId, fromFrame: frame, count: 1 });
      if (!result.ok) return result;
      const row = result.value.rows[0];
      return { ok: true, value: row && row.frame === frame ? toPacketRow(row, state.streams) : null };
    },

    async indexOfFrame(captureId, query, frame) {
      const state = open.get(captureId);
      if (!state) return unknownCapture(captureId);
      if (query.flags.length > 0) {
        const flagged = await flaggedOf(state);
        if (!flagged.ok) return flagged;
        const positions = flagged.value.matching(query.flags, query.stream);
        const at = flagged.value.positionOfFrame(frame);
        return { ok: true, value: at < 0 ? -1 : positions.indexOf(at) };
      }
      if (query.stream === null) return { ok: true, value: frame >= 1 && frame <= state.overview.packets ? frame - 1 : -1 };
      const stream = state.streams.get(query.stream);
      if (!stream || frame < stream.firstFrame || frame > stream.lastFrame) return { ok: true, value: -1 };
      // walk the stream's pages until the frame shows up (bounded by the stream's length)
      const pageRows = MAX_ROWS_PER_CALL;
      for (let page = 0; page * pageRows < stream.packets; page++) {
        const result = await streamPage(state, query.stream, page * pageRows, pageRows);
        if (!result.ok) return result;
        const at = result.value.rows.findIndex((row) => row.frame === frame);
        if (at >= 0) return { ok: true, value: page * pageRows + at };
        if (result.value.rows.length === 0) break;
      }
      return { ok: true, value: -1 };
    },

    async marks(captureId) {
      const state = open.get(captureId);
      if (!state) return unknownCapture(captureId);
      const flagged = await flaggedOf(state);
      if (!flagged.ok) return flagged;
      return { ok: true, value: marksOf(flagged.value) };
    },

    async close(captureId) {
      if (!open.delete(captureId)) return;
      await api.call('capture.close', { captureId });
    },
  };
}

/** One mark per annotated packet that the timeline draws (probe, its ACK, zero-window probe, retransmission). */
function marksOf(index: FlaggedIndex): CaptureMarks {
  const kindCode = new Uint8Array(index.length);
  for (let at = 0; at < index.length; at++) {
    const flags = flagsOfBits(index.bits[at] ?? 0);
    kindCode[at] = flags.includes('keep_alive')
      ? MARK_KIND_CODE['keepalive-probe']
      : flags.includes('keep_alive_ack')
        ? MARK_KIND_CODE['keepalive-ack']
        : flags.includes('zero_window_probe')
          ? MARK_KIND_CODE['zero-window-probe']
          : flags.some((flag) => flag.endsWith('retransmission'))
            ? MARK_KIND_CODE.retransmission
            : NOT_DRAWN;
  }
  return {
    timeS: index.time.subarray(0, index.length),
    stream: index.stream.subarray(0, index.length),
    flag: null,
    kindCode,
    frame: index.frame.subarray(0, index.length),
  };
}

/** "PATH: reason" → "reason". */
export function withoutPath(message: string, path: string): string {
  return message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message;
}

/** A kind code outside `MARK_KINDS`: the timeline skips it. */
const NOT_DRAWN = 255;
