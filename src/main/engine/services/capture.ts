/**
 * The capture handlers behind src/shared/api-capture.ts: open captures (in a worker_thread when they
 * are big), keeps each analysis in memory under a capture id, and answers packet pages, stream
 * lists and timeline bins from its columns.
 */
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { captureMethods, PacketRow } from '@shared/api-capture';
import { analyzeCaptureFile, type AnalyzeProgress, type CaptureAnalysis } from '../capture/analyze';
import { analyzeCaptureInWorker } from '../capture/analyze-in-worker';
import { NO_STREAM, timelineBins } from '../capture/packet-table';
import { CaptureFormatError } from '../capture/read-common';
import { analysisFlagNames } from '../capture/tcp-flags';
import { explainPacket } from '../capture/tcp-reasons';
import { packetInfo } from '../capture/packet-info';
import { captureSummary } from '../capture/capture-summary';
import { streamWindow } from '../capture/stream-window';
import { requestCap, streamEvents } from '../capture/stream-events';
import { exampleFile, UnknownExampleError } from '../examples/example-files';
import { ServiceError, type Handlers, type ServiceContext } from './context';

/** Files above this size are analysed in a worker thread, bytes (below, the thread start costs more than it saves). */
const WORKER_THRESHOLD_BYTES = 8 * 1024 * 1024;
/** Captures kept open at once; the oldest is dropped beyond it. */
const MAX_OPEN_CAPTURES = 4;

interface OpenCapture {
  path: string;
  analysis: CaptureAnalysis;
}

export function toServiceError(path: string, error: unknown, signal: AbortSignal): ServiceError {
  if (signal.aborted) return new ServiceError('cancelled', `opening ${path} was cancelled`);
  if (error instanceof CaptureFormatError) return new ServiceError(error.code, `${path}: ${error.message}`);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new ServiceError('not-found', `${path}: no such file`);
  if (code === 'EACCES') return new ServiceError('permission-denied', `${path}: permission denied`);
  if (code === 'EISDIR') return new ServiceError('not-a-capture', `${path}: is a directory`);
  if (code === 'not-a-file') return new ServiceError('not-a-capture', `${path}: ${(error as Error).message}`);
  if (code === 'too-large') return new ServiceError('too-large', `${path}: ${(error as Error).message}`);
  return new ServiceError('capture-failed', `${path}: ${(error as Error).message}`);
}

function packetRow(open: OpenCapture, index: number): PacketRow {
  const table = open.analysis.table;
  const frame = index + 1;
  const stream = table.stream[index] ?? NO_STREAM;
  const flags = table.analysis[index] ?? 0;
  const evidence = open.analysis.evidence.at(frame);
  const { info, http } = packetInfo(open.analysis, index);
  return {
    frame,
    time: table.time[index] ?? 0,
    stream: stream === NO_STREAM ? null : stream,
    tcpFlags: table.tcpFlags[index] ?? 0,
    payload: table.payload[index] ?? 0,
    flags: analysisFlagNames(flags),
    reasons: evidence === null ? [] : explainPacket(table, index, evidence),
    info,
    http,
  };
}

export function createCaptureHandlers(ctx: ServiceContext): Handlers<typeof captureMethods> {
  const captures = new Map<string, OpenCapture>();

  function get(captureId: string): OpenCapture {
    const open = captures.get(captureId);
    if (open === undefined) throw new ServiceError('unknown-capture', `no open capture "${captureId}" (open it again)`);
    return open;
  }

  /** `shownAs`: the name the summary and errors give (an example's title, not its install path). */
  async function openFile(path: string, jobId: string | undefined, shownAs = path, name?: string, window?: number) {
    const job = ctx.jobs.start(jobId);
    const onProgress = (progress: AnalyzeProgress) =>
      ctx.emit({
        kind: 'job-progressed',
        jobId: job.jobId,
        done: progress.bytesRead,
        total: progress.totalBytes,
        unit: 'bytes',
        note: `${progress.records} packets`,
      });
    try {
      const size = (await stat(path)).size;
      const options = { signal: job.signal, onProgress };
      const analysis =
        size > WORKER_THRESHOLD_BYTES ? await analyzeCaptureInWorker(path, options) : await analyzeCaptureFile(path, options);
      const captureId = randomUUID();
      const open: OpenCapture = { path, analysis };
      captures.set(captureId, open);
      while (captures.size > MAX_OPEN_CAPTURES) captures.delete(captures.keys().next().value as string);
      const summary = captureSummary(captureId, shownAs, open.analysis, name ?? (shownAs === path ? undefined : shownAs));
      if (window === undefined || window >= summary.streams.length) return summary;
      // the report of this session lists every stream: it gets the whole summary, the page a window
      ctx.sessions.observe('capture.open', summary);
      return { ...summary, streams: summary.streams.slice(0, window) };
    } catch (error) {
      throw toServiceError(shownAs, error, job.signal);
    } finally {
      job.done();
    }
  }

  return {
    async 'capture.open'({ path, name, jobId, streamWindow: window }) {
      return openFile(path, jobId, path, name, window);
    },
    async 'capture.openExample'({ exampleId, jobId, streamWindow: window }) {
      let path: string;
      try {
        path = exampleFile(exampleId);
      } catch (error) {
        if (error instanceof UnknownExampleError) throw new ServiceError(error.code, error.message);
        throw error;
      }
      return openFile(path, jobId, `${exampleId}.pcap`, undefined, window);
    },
    async 'capture.streams'({ captureId, offset = 0, limit, sort, filter, events }) {
      const analysis = get(captureId).analysis;
      const window = streamWindow(analysis.streams, { offset, limit: limit ?? analysis.streams.length, sort, filter });
      if (events === undefined) return window;
      const timeRange = filter?.timeRange;
      const range = timeRange && { fromS: timeRange.from - analysis.startTime, toS: timeRange.to - analysis.startTime };
      const maxRequests = requestCap(
        window.streams.map((stream) => stream.httpRequests),
        events.maxRequests,
      );
      return { ...window, events: streamEvents(analysis, window.streams, { maxRequests, range }) };
    },
    async 'capture.packets'({ captureId, fromFrame, count, filter }) {
      const open = get(captureId);
      const table = open.analysis.table;
      const rows: PacketRow[] = [];
      let index = fromFrame - 1;
      for (; index < table.length && rows.length < count; index++) {
        if (filter?.stream !== undefined && table.stream[index] !== filter.stream) continue;
        if (filter?.flaggedOnly === true && table.analysis[index] === 0 && open.analysis.evidence.at(index + 1) === null) continue;
        rows.push(packetRow(open, index));
      }
      return { rows, nextFrame: index < table.length ? index + 1 : null };
    },
    async 'capture.flagged'({ captureId, fromFrame, count }) {
      const table = get(captureId).analysis.table;
      const columns = {
        frames: [] as number[],
        times: [] as number[],
        streams: [] as number[],
        tcpFlags: [] as number[],
        payloads: [] as number[],
        flagSet: [] as number[],
      };
      const setOfBits = new Map<number, number>();
      const flagSets: ReturnType<typeof analysisFlagNames>[] = [];
      let index = fromFrame - 1;
      for (; index < table.length && columns.frames.length < count; index++) {
        const bits = table.analysis[index] ?? 0;
        if (bits === 0) continue;
        let set = setOfBits.get(bits);
        if (set === undefined) {
          set = flagSets.push(analysisFlagNames(bits)) - 1;
          setOfBits.set(bits, set);
        }
        columns.frames.push(index + 1);
        columns.times.push(table.time[index] ?? 0);
        columns.streams.push(table.stream[index] ?? NO_STREAM);
        columns.tcpFlags.push(table.tcpFlags[index] ?? 0);
        columns.payloads.push(table.payload[index] ?? 0);
        columns.flagSet.push(set);
      }
      return { ...columns, flagSets, nextFrame: index < table.length ? index + 1 : null };
    },
    async 'capture.bins'({ captureId, from, to, bins, stream }) {
      return { bins: timelineBins(get(captureId).analysis.table, from, to, bins, stream) };
    },
    async 'capture.close'({ captureId }) {
      return { closed: captures.delete(captureId) };
    },
    async 'capture.info'({ captureId, frames }) {
      const open = get(captureId);
      const rows = frames
        .filter((frame) => frame <= open.analysis.table.length)
        .map((frame) => ({ frame, ...packetInfo(open.analysis, frame - 1) }));
      return { rows };
    },
  };
}
