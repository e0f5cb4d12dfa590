/**
 * The HTTP/2 request table of a Compare column over a REAL run (the lab's HTTP/2 server on a
 * loopback port, SETTINGS_MAX_CONCURRENT_STREAMS 5, 20 requests at once): a row per request with
 * its connection and odd stream id (RFC 9113 §5.1.1), the 15 that waited for a stream slot showing
 * their wait, and a big run cut to its first rows.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Http2RunResult } from '@shared/api-http2';
import { runHttp2 } from '@engine/lab/http2-run';
import { resolveHttp2Config } from '@engine/lab/http2-scenarios';
import { http2RequestRows } from '@renderer/features/lab/http2-rows';

describe('HTTP/2 request rows of a real run', () => {
  let run: Http2RunResult;

  beforeAll(async () => {
    run = await runHttp2(resolveHttp2Config('stream-limit', {}));
  }, 30_000);

  it('lists every request in order on c1 with its odd stream id, and the waits for a stream slot', () => {
    const rows = http2RequestRows(run, 1000);
    expect(rows.map((row) => row.index)).toEqual(Array.from({ length: 20 }, (_, position) => position + 1));
    expect(new Set(rows.map((row) => row.connection))).toEqual(new Set(['c1']));
    expect(rows.map((row) => Number(row.stream)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, position) => 2 * position + 1),
    );
    expect(rows.filter((row) => row.waited !== '–')).toHaveLength(run.waitedForSlot);
    expect(run.waitedForSlot).toBe(15);
    for (const row of rows) {
      expect(row).toMatchObject({ outcome: '200', failed: false, retried: false });
      expect(row.total).toMatch(/^[\d.]+ ms$/);
    }
    expect(new Set(rows.map((row) => row.key)).size).toBe(rows.length);
  });

  it('cuts a big run to its first rows', () => {
    expect(http2RequestRows(run, 5).map((row) => row.index)).toEqual([1, 2, 3, 4, 5]);
  });
});
