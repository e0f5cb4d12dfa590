/**
 * The capture analysis's stages one at a time, on one file: each stage runs alone over segments the
 * stage before produced (kept in columns, payloads in one buffer), so its time is its own and not
 * its neighbours'. These are the figures behind "why the analysis is not within 2× the minimal loop"
 * (README): on two cores the analysis can only reach 2× if all its stages fit in about four minimal
 * loops of CPU time.
 *
 *   read + decode            the reader and the decoder (as the analysis makes it)
 *   stream + Wireshark checks TcpAnalyzer.analyze: each segment's stream (its 4-tuple looked up), every
 *                            tcp.analysis flag, relative seq/ack, window
 *   packet columns           the packet table the packet list and the timeline read
 *   stream summaries         StreamSummarizer.add without payload bytes (no HTTP/TLS/HTTP/2 parsing)
 *   HTTP/1, TLS, HTTP/2      StreamSummarizer.add with the payload bytes, minus the stage above
 *
 * Each stage is run twice and its faster run kept (the first warms the JIT up).
 *
 *   node --import tsx bench/capture-stages.ts FILE
 */
import { fileURLToPath } from 'node:url';
import { createDecoder, emptySegment } from '../src/main/engine/capture/decode';
import { PacketTable } from '../src/main/engine/capture/packet-table';
import { readCaptureFile } from '../src/main/engine/capture/read-capture';
import { StreamSummarizer } from '../src/main/engine/capture/stream-summarizer';
import { TcpAnalyzer } from '../src/main/engine/capture/tcp-analysis';

export interface StageFigures {
  stage: string;
  /** the thread that runs it in the two-thread analysis (summary-thread.ts): 1 reads, decodes and checks; 2 writes the columns and summarizes */
  thread: 1 | 2;
  /** the faster of two runs, ms */
  milliseconds: number;
  /** per TCP segment, ns */
  nanosecondsPerSegment: number;
}

export interface CaptureStages {
  segments: number;
  stages: StageFigures[];
  /** every stage's time added up, ms */
  totalMilliseconds: number;
  /** the stages of the first and of the second thread added up, ms (without what handing segments over costs either side) */
  firstThreadMilliseconds: number;
  secondThreadMilliseconds: number;
}

/** The decoded segments, as columns, with their captured payloads one after another in `payload`. */
class DecodedSegments {
  count = 0;
  readonly frame: Int32Array;
  readonly time: Float64Array;
  readonly source: Int32Array;
  readonly destination: Int32Array;
  readonly sourcePort: Uint16Array;
  readonly destinationPort: Uint16Array;
  readonly seq: Uint32Array;
  readonly ack: Uint32Array;
  readonly tcpFlags: Uint8Array;
  readonly window: Uint16Array;
  readonly payloadLength: Int32Array;
  readonly capturedPayload: Int32Array;
  readonly payloadStart: Int32Array;
  /** the SYN's window-scale option, -1 for none (the only option the analysis reads) */
  readonly windowScale: Int8Array;
  payload: Uint8Array;
  payloadUsed = 0;

  constructor(readonly capacity: number) {
    this.frame = new Int32Array(capacity);
    this.time = new Float64Array(capacity);
    this.source = new Int32Array(capacity);
    this.destination = new Int32Array(capacity);
    this.sourcePort = new Uint16Array(capacity);
    this.destinationPort = new Uint16Array(capacity);
    this.seq = new Uint32Array(capacity);
    this.ack = new Uint32Array(capacity);
    this.tcpFlags = new Uint8Array(capacity);
    this.window = new Uint16Array(capacity);
    this.payloadLength = new Int32Array(capacity);
    this.capturedPayload = new Int32Array(capacity);
    this.payloadStart = new Int32Array(capacity);
    this.windowScale = new Int8Array(capacity);
    this.payload = new Uint8Array(64 * 1024 * 1024);
  }

  /** Fills `segment` with row `row`'s fields (its payload in `payload`). */
  load(row: number, segment: ReturnType<typeof emptySegment>): void {
    segment.frame = this.frame[row]!;
    segment.time = this.time[row]!;
    segment.srcAddress = this.source[row]!;
    segment.dstAddress = this.destination[row]!;
    segment.srcPort = this.sourcePort[row]!;
    segment.dstPort = this.destinationPort[row]!;
    segment.seq = this.seq[row]!;
    segment.ack = this.ack[row]!;
    segment.flags = this.tcpFlags[row]!;
    segment.window = this.window[row]!;
    segment.payloadLength = this.payloadLength[row]!;
    segment.capturedPayloadLength = this.capturedPayload[row]!;
    segment.payloadOffset = this.payloadStart[row]!;
    segment.data = this.payload;
    const scale = this.windowScale[row]!;
    segment.options.windowScale = scale < 0 ? null : scale;
  }
}

/** The faster of two runs of `stage`, ms. */
function fasterOfTwo(stage: () => void): number {
  let best = Infinity;
  for (let run = 0; run < 2; run++) {
    const started = performance.now();
    stage();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/** Read + decode, timed; returns the segments as columns (filled in a second, untimed pass). */
async function readAndDecode(file: string, capacity: number): Promise<{ milliseconds: number; segments: DecodedSegments }> {
  let best = Infinity;
  for (let run = 0; run < 2; run++) {
    const decoder = createDecoder({ reuse: true, options: 'syn' });
    const started = performance.now();
    // the stream is looked up in the next stage (TcpAnalyzer.analyze does it), not here
    await readCaptureFile(file, { onRecord: (record) => void decoder.decode(record) });
    best = Math.min(best, performance.now() - started);
  }
  const segments = new DecodedSegments(capacity);
  const decoder = createDecoder({ reuse: true, options: 'syn' });
  await readCaptureFile(file, {
    onRecord: (record) => {
      const decoded = decoder.decode(record);
      if (!decoded.ok || segments.count === capacity) return;
      const segment = decoded.segment;
      const row = segments.count++;
      segments.frame[row] = segment.frame;
      segments.time[row] = segment.time;
      segments.source[row] = segment.srcAddress;
      segments.destination[row] = segment.dstAddress;
      segments.sourcePort[row] = segment.srcPort;
      segments.destinationPort[row] = segment.dstPort;
      segments.seq[row] = segment.seq;
      segments.ack[row] = segment.ack;
      segments.tcpFlags[row] = segment.flags;
      segments.window[row] = segment.window;
      segments.payloadLength[row] = segment.payloadLength;
      segments.windowScale[row] = segment.options.windowScale ?? -1;
      const captured = segment.capturedPayloadLength;
      if (segments.payloadUsed + captured > segments.payload.length) {
        const grown = new Uint8Array(Math.max(2 * segments.payload.length, segments.payloadUsed + captured));
        grown.set(segments.payload.subarray(0, segments.payloadUsed));
        segments.payload = grown;
      }
      segments.payload.set(segment.data.subarray(segment.payloadOffset, segment.payloadOffset + captured), segments.payloadUsed);
      segments.payloadStart[row] = segments.payloadUsed;
      segments.capturedPayload[row] = captured;
      segments.payloadUsed += captured;
    },
  });
  return { milliseconds: best, segments };
}

/** Times each stage of the analysis on `file` (at most `capacity` TCP segments). */
export async function benchCaptureStages(file: string, capacity = 4_000_000): Promise<CaptureStages> {
  const { milliseconds: readMilliseconds, segments } = await readAndDecode(file, capacity);
  const count = segments.count;
  const segment = emptySegment();
  // the analysis's verdicts, which the later stages take as input
  const stream = new Int32Array(count);
  const analysisFlags = new Uint16Array(count);
  const fromA = new Uint8Array(count);
  const relativeSeq = new Uint32Array(count);
  const relativeAck = new Uint32Array(count);
  const calculatedWindow = new Uint32Array(count);
  const analysisMilliseconds = fasterOfTwo(() => {
    const analyzer = new TcpAnalyzer();
    for (let row = 0; row < count; row++) {
      segments.load(row, segment);
      const evidence = analyzer.analyze(segment, true);
      stream[row] = evidence.stream;
      analysisFlags[row] = evidence.flags;
      fromA[row] = evidence.fromA ? 1 : 0;
      relativeSeq[row] = evidence.relativeSeq;
      relativeAck[row] = evidence.relativeAck;
      calculatedWindow[row] = evidence.calculatedWindow;
    }
  });
  const columnsMilliseconds = fasterOfTwo(() => {
    const table = new PacketTable();
    table.reserve(count);
    const start = segments.time[0] ?? 0;
    for (let row = 0; row < count; row++) {
      table.push(segments.time[row]! - start, stream[row]!, segments.tcpFlags[row]!, segments.payloadLength[row]!, analysisFlags[row]!);
      table.setTcpFields(relativeSeq[row]!, relativeAck[row]!, calculatedWindow[row]!, fromA[row] === 1);
    }
  });
  const summarize = (withPayloads: boolean) => () => {
    const summarizer = new StreamSummarizer();
    for (let row = 0; row < count; row++) {
      segments.load(row, segment);
      if (!withPayloads) segment.capturedPayloadLength = 0;
      summarizer.add(segment, stream[row]!, analysisFlags[row]!, fromA[row] === 1);
    }
  };
  const summariesMilliseconds = fasterOfTwo(summarize(false));
  const withPayloadsMilliseconds = fasterOfTwo(summarize(true));
  const stages: Array<[string, number, 1 | 2]> = [
    ['read + decode', readMilliseconds, 1],
    ["each packet's stream + Wireshark checks (tcp.analysis flags, relative seq/ack, window)", analysisMilliseconds, 1],
    ['packet columns', columnsMilliseconds, 2],
    ['stream summaries (without payload bytes)', summariesMilliseconds, 2],
    ['HTTP/1, TLS and HTTP/2 readers (with the payloads, minus the line above)', withPayloadsMilliseconds - summariesMilliseconds, 2],
  ];
  const sum = (thread?: 1 | 2) =>
    stages.reduce((total, [, milliseconds, on]) => (thread === undefined || on === thread ? total + milliseconds : total), 0);
  return {
    segments: count,
    stages: stages.map(([stage, milliseconds, thread]) => ({
      stage,
      thread,
      milliseconds,
      nanosecondsPerSegment: (milliseconds / count) * 1e6,
    })),
    totalMilliseconds: sum(),
    firstThreadMilliseconds: sum(1),
    secondThreadMilliseconds: sum(2),
  };
}

async function main(argv: string[]): Promise<void> {
  const file = argv[0];
  if (file === undefined) throw new Error('usage: node --import tsx bench/capture-stages.ts FILE');
  process.stdout.write(`${JSON.stringify(await benchCaptureStages(file))}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
