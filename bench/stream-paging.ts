/**
 * How long a capture with 120,000 streams takes to show its summary and the first screen of its
 * stream list once the engine has answered, measured in Chromium through the web mode the way a
 * learner opens one (upload, import, Captures view, Streams tab). The capture is generated with
 * short connections (make-capture.ts), about 0.94 M packets for 120,000 streams.
 * "Answered" is the moment the page's WebSocket receives capture.open's answer (the analysis is
 * done then); "first screen" is the summary and the first stream rows on screen. Also reports
 * the page's JavaScript heap after the list has been scrolled to its end (held windows, not all streams).
 *
 *   node --import tsx bench/stream-paging.ts        (or `npm run bench -- --only streams`)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, startServe } from '../test/e2e/helpers/browser';
import { writeSyntheticCapture } from './make-capture';
import { removeUploadedCopies } from './timeline';

export interface StreamPagingBench {
  packets: number;
  streams: number;
  /** ms from the file chosen to the first stream rows on screen (upload and analysis included) */
  importMs: number;
  /** ms from capture.open's answer reaching the page to the summary and first stream rows on screen */
  answerToFirstScreenMs: number;
  /** bytes of capture.open's answer */
  answerBytes: number;
  /** MB of the page's JavaScript heap after scrolling the stream list to its end */
  heapMb: number;
}

/** Packets for about 120,500 streams with short connections (8 packets each on average). */
export const STREAM_PAGING_PACKETS = 940_000;
const IMPORT_TIMEOUT_MS = 240_000;

interface PageGlobals {
  performance: { memory?: { usedJSHeapSize: number } };
  gc?: () => void;
}

export async function benchStreamPaging(options: { packets?: number; log?(line: string): void } = {}): Promise<StreamPagingBench> {
  const packets = options.packets ?? STREAM_PAGING_PACKETS;
  const log = options.log ?? (() => undefined);
  const folder = await mkdtemp(join(tmpdir(), 'kl-bench-streams-'));
  const fileName = `streams-${packets}.pcap`;
  const file = join(folder, fileName);
  writeSyntheticCapture(file, packets, { shortConnections: true });
  const benchStarted = Date.now();
  // a developer may point the bench at another build of the UI (as bench/timeline.ts does)
  const rendererDir = process.env['KEEPALIVE_LAB_RENDERER_DIR'];
  const serve = await startServe(rendererDir ? ['--renderer-dir', rendererDir] : []);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    let answeredAt = 0;
    let answerBytes = 0;
    page.on('websocket', (socket) =>
      socket.on('framereceived', ({ payload }) => {
        const text = typeof payload === 'string' ? payload : payload.toString('utf8');
        if (answeredAt === 0 && text.includes('"streamCount"')) {
          answeredAt = Date.now();
          answerBytes = Buffer.byteLength(text);
        }
      }),
    );
    await page.goto(`${serve.url}#captures`);
    const started = Date.now();
    await page.getByTestId('capture-file-input').setInputFiles(file);
    await page.getByTestId('capture-summary').waitFor({ timeout: IMPORT_TIMEOUT_MS });
    await page.getByRole('tab', { name: /^Streams/ }).click();
    await page.getByTestId('stream-list').locator('[role="row"][aria-rowindex="2"]').waitFor({ timeout: IMPORT_TIMEOUT_MS });
    const shownAt = Date.now();
    const streams = Number((await page.getByTestId('sum-streams').textContent())?.replace(/\D/g, '') ?? 0);
    log(`${streams} streams; capture.open answered ${answerBytes} bytes; first screen ${shownAt - answeredAt} ms after the answer`);
    // scroll to the end: the list asks for the last window; the heap holds windows, not every stream
    const list = page.getByTestId('stream-list');
    await list.focus();
    await page.keyboard.press('End');
    await list
      .locator(`[role="row"][aria-rowindex="${streams + 1}"] >> text=/\\d/`)
      .first()
      .waitFor({ timeout: 30_000 });
    const heapBytes = await page.evaluate(() => (globalThis as unknown as PageGlobals).performance.memory?.usedJSHeapSize ?? 0);
    await page.close();
    return {
      packets,
      streams,
      importMs: shownAt - started,
      answerToFirstScreenMs: shownAt - answeredAt,
      answerBytes,
      heapMb: Math.round((heapBytes / 1e6) * 10) / 10,
    };
  } finally {
    await browser.close();
    await serve.stop();
    await rm(folder, { recursive: true, force: true });
    await removeUploadedCopies([fileName], benchStarted);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchStreamPaging({ log: (line) => console.log(line) });
  console.log(JSON.stringify(result));
}
