import { describe, expect, it } from 'vitest';
import {
  BIG_TRACE_EVENTS,
  BIG_TRACE_REBUILD_MS,
  hiddenRowsNote,
  liveRebuildMs,
  tableSlice,
  TABLE_ROW_LIMIT,
} from '@renderer/features/lab/big-run';
import type { RequestRow } from '@renderer/features/lab/request-rows';

const row = (index: number): RequestRow => ({
  request: `r${index}`,
  index,
  attempt: 1,
  connection: 'c1',
  connectionKind: index === 1 ? 'new' : 'reused',
  outcome: '200',
  failed: false,
  queuedMs: null,
  connectMs: null,
  firstByteMs: null,
  totalMs: 0.4,
  why: null,
  waitedForPoolMs: null,
  tls: null,
});
const rows = (count: number) => Array.from({ length: count }, (_, offset) => row(offset + 1));

describe('big HTTP runs on the page', () => {
  it('a small table is shown whole, with no note', () => {
    const slice = tableSlice(rows(10), null);
    expect(slice.rows).toHaveLength(10);
    expect(slice.hidden).toBe(0);
    expect(hiddenRowsNote(slice, 10)).toBeNull();
  });

  it('a 100,000-row table shows its first rows and says how many of how many', () => {
    const all = rows(100_000);
    const slice = tableSlice(all, null);
    expect(slice.rows).toHaveLength(TABLE_ROW_LIMIT);
    expect(slice.rows.at(-1)?.index).toBe(TABLE_ROW_LIMIT);
    expect(slice.hidden).toBe(100_000 - TABLE_ROW_LIMIT);
    expect(hiddenRowsNote(slice, all.length)).toBe(
      'Showing 1,000 of 100,000 requests. Pick a bar on the timeline to see any other one here.',
    );
    // a comparison's column has no picking on its timeline: the note says only how many
    expect(hiddenRowsNote(slice, all.length, false)).toBe('Showing 1,000 of 100,000 requests.');
  });

  it('a request picked on the timeline beyond the first rows is added to the table', () => {
    const all = rows(5000);
    const slice = tableSlice(all, 'r4321');
    expect(slice.rows).toHaveLength(TABLE_ROW_LIMIT + 1);
    expect(slice.rows.at(-1)?.request).toBe('r4321');
    expect(hiddenRowsNote(slice, all.length)).toBe(
      'Showing 1,001 of 5,000 requests. Pick a bar on the timeline to see any other one here.',
    );
    // one already in the first rows is not repeated
    expect(tableSlice(all, 'r7').rows).toHaveLength(TABLE_ROW_LIMIT);
  });

  it('the live timeline is rebuilt every frame for small traces, every BIG_TRACE_REBUILD_MS for big ones', () => {
    expect(liveRebuildMs(0)).toBe(0);
    expect(liveRebuildMs(BIG_TRACE_EVENTS)).toBe(0);
    expect(liveRebuildMs(BIG_TRACE_EVENTS + 1)).toBe(BIG_TRACE_REBUILD_MS);
    expect(liveRebuildMs(200_000)).toBe(BIG_TRACE_REBUILD_MS);
  });
});
