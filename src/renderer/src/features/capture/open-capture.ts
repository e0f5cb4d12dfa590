/**
 * One open capture as the Captures view reads it: its overview and streams, the annotated packets
 * in compact columns (loaded once, on first use), and the first frame of each page of a stream.
 * The contract pages packets by frame; the view wants rows by position under a filter: this
 * turns one into the other.
 */
import type { Api, ApiResult } from '@shared/api';
import type { PacketRow as ContractPacketRow } from '@shared/api-capture';
import { MARK_KIND_CODE } from '../timeline/timeline-model';
import type { CaptureOverview, PacketListRow, PacketPage, PacketQuery } from './capture-model';
import type { CaptureMarks } from './capture-timeline';
import { primaryFlag } from './annotation-kinds';
import { toPacketRow } from './contract-adapter';
import { FlaggedIndex, flagsOfBits, type FlaggedColumns } from './flagged-index';
import type { StreamRowsCache } from './stream-rows-cache';

/** Most rows the contract returns per call. */
const MAX_ROWS_PER_CALL = 5000;
/** Flagged packets per `capture.flagged` call (the contract allows 100,000): a few MB of JSON each. */
const FLAGGED_PER_CALL = 50_000;
/** A kind code outside `MARK_KINDS`: the timeline skips it. */
const NOT_DRAWN = 255;

export class OpenCapture {
  private flagged: Promise<ApiResult<FlaggedIndex>> | null = null;
  /** per stream and page size: the first frame of each page */
  private readonly streamPageStarts = new Map<string, number[]>();

  constructor(
    private readonly api: Api,
    readonly overview: CaptureOverview,
    readonly streams: StreamRowsCache,
  ) {}

  /** Contract rows → list rows, once the page holds the rows of the streams they name (for the endpoints). */
  private async toRows(rows: readonly ContractPacketRow[]): Promise<ApiResult<PacketListRow[]>> {
    const ready = await this.streams.ensure(rows.map((row) => row.stream ?? -1));
    if (!ready.ok) return ready;
    return { ok: true, value: rows.map((packet) => toPacketRow(packet, this.streams)) };
  }

  async packets(query: PacketQuery, offset: number, count: number): Promise<ApiResult<PacketPage>> {
    if (query.flags.length > 0) {
      const flagged = await this.flaggedIndex();
      if (!flagged.ok) return flagged;
      const positions = flagged.value.matching(query.flags, query.stream);
      const listed = await this.toRows(
        Array.from(positions.subarray(offset, offset + count), (at) => this.rowFromIndex(flagged.value, at)),
      );
      if (!listed.ok) return listed;
      const rows = listed.value;
      // the flagged columns carry no Info text: one call fills the page's
      const frames = rows.slice(0, MAX_ROWS_PER_CALL).map((row) => row.frame);
      const infos = await this.api.call('capture.info', { captureId: this.overview.captureId, frames });
      if (infos.ok) {
        const byFrame = new Map(infos.value.rows.map((entry) => [entry.frame, entry]));
        for (const row of rows)
          Object.assign(row, { info: byFrame.get(row.frame)?.info ?? '', http: byFrame.get(row.frame)?.http ?? null });
      }
      return { ok: true, value: { total: positions.length, offset, rows } };
    }
    if (query.stream !== null) return this.streamPage(query.stream, offset, count);
    const total = this.overview.packets;
    if (offset >= total) return { ok: true, value: { total, offset, rows: [] } };
    const result = await this.api.call('capture.packets', {
      captureId: this.overview.captureId,
      fromFrame: offset + 1,
      count: Math.min(count, MAX_ROWS_PER_CALL),
    });
    if (!result.ok) return result;
    const rows = await this.toRows(result.value.rows);
    return rows.ok ? { ok: true, value: { total, offset, rows: rows.value } } : rows;
  }

  async packet(frame: number): Promise<ApiResult<PacketListRow | null>> {
    const result = await this.api.call('capture.packets', { captureId: this.overview.captureId, fromFrame: frame, count: 1 });
    if (!result.ok) return result;
    const row = result.value.rows[0];
    if (!row || row.frame !== frame) return { ok: true, value: null };
    const rows = await this.toRows([row]);
    return rows.ok ? { ok: true, value: rows.value[0] ?? null } : rows;
  }

  async indexOfFrame(query: PacketQuery, frame: number): Promise<ApiResult<number>> {
    if (query.flags.length > 0) {
      const flagged = await this.flaggedIndex();
      if (!flagged.ok) return flagged;
      const positions = flagged.value.matching(query.flags, query.stream);
      const at = flagged.value.positionOfFrame(frame);
      return { ok: true, value: at < 0 ? -1 : positions.indexOf(at) };
    }
    if (query.stream === null) return { ok: true, value: frame >= 1 && frame <= this.overview.packets ? frame - 1 : -1 };
    const found = await this.streams.row(query.stream);
    if (!found.ok) return found;
    const stream = found.value;
    if (!stream || frame < stream.firstFrame || frame > stream.lastFrame) return { ok: true, value: -1 };
    // walk the stream's pages until the frame shows up (bounded by the stream's length)
    const pageRows = MAX_ROWS_PER_CALL;
    for (let page = 0; page * pageRows < stream.packets; page++) {
      const result = await this.streamPage(query.stream, page * pageRows, pageRows);
      if (!result.ok) return result;
      const at = result.value.rows.findIndex((row) => row.frame === frame);
      if (at >= 0) return { ok: true, value: page * pageRows + at };
      if (result.value.rows.length === 0) break;
    }
    return { ok: true, value: -1 };
  }

  /**
   * One mark per annotated packet: the timeline draws probes, their ACKs, zero-window probes and
   * retransmissions; the others carry a code it skips, and are counted by kind in `unmarked`.
   */
  async marks(): Promise<ApiResult<CaptureMarks>> {
    const flagged = await this.flaggedIndex();
    if (!flagged.ok) return flagged;
    const index = flagged.value;
    const kindCode = new Uint8Array(index.length);
    const unmarked = new Map<string, number>();
    for (let at = 0; at < index.length; at++) {
      const flags = flagsOfBits(index.bits[at] ?? 0);
      kindCode[at] = markKindCode(flags);
      const flag = kindCode[at] === NOT_DRAWN ? primaryFlag(flags) : null;
      if (flag !== null) unmarked.set(flag, (unmarked.get(flag) ?? 0) + 1);
    }
    return {
      ok: true,
      value: {
        timeS: index.time.subarray(0, index.length),
        stream: index.stream.subarray(0, index.length),
        flag: null,
        kindCode,
        frame: index.frame.subarray(0, index.length),
        unmarked: [...unmarked].map(([flag, count]) => ({ flag, count })).sort((left, right) => right.count - left.count),
      },
    };
  }

  private flaggedIndex(): Promise<ApiResult<FlaggedIndex>> {
    return (this.flagged ??= this.loadFlagged());
  }

  private async loadFlagged(): Promise<ApiResult<FlaggedIndex>> {
    const index = new FlaggedIndex();
    let fromFrame: number | null = 1;
    // each call returns up to FLAGGED_PER_CALL flagged packets, so this many calls reach the end
    const maxCalls = Math.ceil(this.overview.packets / FLAGGED_PER_CALL) + 2;
    for (let call = 0; call < maxCalls && fromFrame !== null; call++) {
      const page: ApiResult<FlaggedColumns & { nextFrame: number | null }> = await this.api.call('capture.flagged', {
        captureId: this.overview.captureId,
        fromFrame,
        count: FLAGGED_PER_CALL,
      });
      if (!page.ok) return page;
      index.addColumns(page.value);
      fromFrame = page.value.nextFrame;
    }
    return { ok: true, value: index };
  }

  private rowFromIndex(index: FlaggedIndex, at: number): ContractPacketRow {
    const stream = index.stream[at] ?? -1;
    const row: ContractPacketRow = {
      frame: index.frame[at] ?? 0,
      time: index.time[at] ?? 0,
      stream: stream < 0 ? null : stream,
      tcpFlags: index.tcp[at] ?? 0,
      payload: index.payload[at] ?? 0,
      flags: flagsOfBits(index.bits[at] ?? 0) as ContractPacketRow['flags'],
      reasons: [],
    };
    return row;
  }

  /** Rows of one stream from `offset`: pages are walked in order, since only the engine knows which frames a stream has. */
  private async streamPage(stream: number, offset: number, count: number): Promise<ApiResult<PacketPage>> {
    const found = await this.streams.row(stream);
    if (!found.ok) return found;
    const row = found.value;
    if (!row) return { ok: true, value: { total: 0, offset, rows: [] } };
    const key = `${stream}/${count}`;
    const starts = this.streamPageStarts.get(key) ?? [row.firstFrame];
    this.streamPageStarts.set(key, starts);
    const pageNumber = Math.floor(offset / count);
    // start from the nearest page whose first frame is known; each call reveals the next one
    for (let page = Math.min(pageNumber, starts.length - 1); page <= pageNumber && page < starts.length; page++) {
      const fromFrame = starts[page];
      if (fromFrame === undefined) break;
      const result = await this.api.call('capture.packets', { captureId: this.overview.captureId, fromFrame, count, filter: { stream } });
      if (!result.ok) return result;
      const next = result.value.nextFrame;
      if (next !== null && starts.length === page + 1 && result.value.rows.length === count) starts.push(next);
      if (page === pageNumber) {
        const rows = await this.toRows(result.value.rows);
        return rows.ok ? { ok: true, value: { total: row.packets, offset: page * count, rows: rows.value } } : rows;
      }
    }
    return { ok: true, value: { total: row.packets, offset, rows: [] } };
  }
}

function markKindCode(flags: readonly string[]): number {
  if (flags.includes('keep_alive')) return MARK_KIND_CODE['keepalive-probe'];
  if (flags.includes('keep_alive_ack')) return MARK_KIND_CODE['keepalive-ack'];
  if (flags.includes('zero_window_probe')) return MARK_KIND_CODE['zero-window-probe'];
  if (flags.some((flag) => flag.endsWith('retransmission'))) return MARK_KIND_CODE.retransmission;
  return NOT_DRAWN;
}
