/**
 * The stream rows the page has seen, by stream number, bounded: packet rows name their stream's
 * endpoints and the stream detail shows its row, but a 120,000-stream capture is not held whole.
 * Missing rows are asked for by number (`capture.streams` with `filter.streams`).
 */
import type { Api, ApiResult } from '@shared/api';
import type { StreamRow } from './capture-model';
import { toStreamRow } from './contract-adapter';

/** Rows kept (a few MB at most); beyond it the oldest go first. */
export const MAX_CACHED_STREAMS = 20_000;
/** Stream numbers per request (the contract allows 5000). */
const NUMBERS_PER_CALL = 1000;

export class StreamRowsCache {
  private readonly rows = new Map<number, StreamRow>();

  constructor(
    private readonly api: Api,
    private readonly captureId: string,
    private readonly startTime: number,
  ) {}

  get(stream: number): StreamRow | undefined {
    return this.rows.get(stream);
  }

  get size(): number {
    return this.rows.size;
  }

  /** Rows the page received (a window of the list, the first window of capture.open). */
  remember(rows: readonly StreamRow[]): void {
    for (const row of rows) {
      this.rows.delete(row.stream);
      this.rows.set(row.stream, row);
    }
    while (this.rows.size > MAX_CACHED_STREAMS) {
      const oldest = this.rows.keys().next().value;
      if (oldest === undefined) break;
      this.rows.delete(oldest);
    }
  }

  /** Makes sure these streams' rows are here (packet rows of one page name at most a few hundred). */
  async ensure(streams: Iterable<number>): Promise<ApiResult<void>> {
    const missing = [...new Set(streams)].filter((stream) => stream >= 0 && !this.rows.has(stream));
    for (let at = 0; at < missing.length; at += NUMBERS_PER_CALL) {
      const numbers = missing.slice(at, at + NUMBERS_PER_CALL);
      const result = await this.api.call('capture.streams', {
        captureId: this.captureId,
        limit: numbers.length,
        filter: { streams: numbers },
      });
      if (!result.ok) return result;
      this.remember(result.value.streams.map((stream) => toStreamRow(stream, this.startTime)));
    }
    return { ok: true, value: undefined };
  }

  /** One stream's row, asked for when missing; null for a number the capture does not have. */
  async row(stream: number): Promise<ApiResult<StreamRow | null>> {
    const ready = await this.ensure([stream]);
    return ready.ok ? { ok: true, value: this.rows.get(stream) ?? null } : ready;
  }
}
