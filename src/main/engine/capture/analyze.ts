/**
 * The capture pipeline: bytes → records (read-capture.ts) → TCP segments (decode.ts) → Wireshark-
 * equivalent analysis (tcp-analysis.ts) → stream summaries, per-packet columns and annotations.
 * One pass, in file order, memory bounded by the columns (a few bytes a packet) plus the flagged
 * packets' evidence. Progress after every chunk; an AbortSignal cancels between chunks.
 */
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { endpointText } from './tcp-stream-state';
import { SummaryThread, type SummaryThreadFault } from './summary-thread-client';
import { StartLines } from './start-lines';
import { WORKER_FROM_SOURCE } from './capture-worker-start';
import { readCaptureFile, type CaptureReadSummary, type ReadProgress } from './read-capture';
import { createDecoder } from './decode';
import { linkTypeName } from './link-types';
import { EvidenceTable } from './evidence-table';
import { NO_STREAM, PACKET_HTTP_REQUEST, PACKET_HTTP_RESPONSE, PacketTable } from './packet-table';
import { StreamSummarizer, type SummarizerObservers } from './stream-summarizer';
import { StreamSummaries, type StreamSummary } from './stream-summaries';
import { TcpAnalyzer } from './tcp-analysis';
import { analysisFlagNames, type AnalysisFlagName } from './tcp-flags';
import { mainGroup, timeGroups, timeGroupsMessage, type TimeGroup } from './time-groups';
import type { CaptureRecord, SkipReason, TcpSegment } from './types';
import { wiresharkPortHint } from './wireshark-ports';
import { plural, pluralWord } from '@shared/counting';

/** Smallest classic pcap record (a 16-byte header, no data): bounds a packet-count projection, bytes. */
const MIN_RECORD_BYTES = 16;
/**
 * Slack over a projection, for files whose later packets are smaller than their first ones.
 * Generous, since reserved but unwritten column pages take no resident memory.
 */
const PROJECTION_SLACK = 1.1;
const ROW_PROJECTION_SLACK = 1.5;
/**
 * Most streams, probes or evidence entries reserved from a projection: a capture that opens with
 * a burst of connections must not reserve gigabytes of address space for its whole length. Past
 * this, the columns grow by doubling as they fill.
 */
const MAX_PROJECTED_ROWS = 4_000_000;

/**
 * HTTP start lines kept for the Info column; beyond, the packet is still marked as carrying one.
 * A line is up to 240 characters: 100 000 lines stay under about 50 MB in the worst case.
 */
export const MAX_START_LINES_KEPT = 100_000;

/**
 * Smallest file analysed on two threads by default, bytes. On the 2-core bench machine, idle, a
 * second thread took the 435 MB, 3.04 M-packet loopback capture from 1.60 to 1.33 s (about 0.6 ms
 * saved per MB) and costs its start: about 70 ms from the app's bundle, about 300 ms from source
 * (WORKER_FROM_SOURCE). Each threshold is about twice the size where the saving repays the start.
 */
const TWO_THREADS_MIN_BYTES = WORKER_FROM_SOURCE ? 512 * 1024 * 1024 : 128 * 1024 * 1024;

/** Two copies of one segment closer than this are taken as `-i any` duplicates, seconds. */
const DUPLICATE_WINDOW_SECONDS = 0.001;

export interface Annotation {
  frame: number;
  stream: number;
  flags: AnalysisFlagName[];
}

export type CaptureHintCode =
  'mid-connection' | 'duplicates' | 'snaplen-cut' | 'time-order' | 'time-gap' | 'tls-reconnects' | 'wireshark-port';

/** Something about how the capture was taken that changes how its verdicts read. */
export interface CaptureHint {
  code: CaptureHintCode;
  /** how many packets or streams it concerns */
  count: number;
  message: string;
}

export interface CaptureAnalysis {
  format: 'pcap' | 'pcapng';
  /** link-type names as the corpus oracle writes them (ETHERNET, LINUX_SLL, …) */
  linkTypes: string[];
  packets: number;
  /** reader problems (a cut-short file, a corrupt length) as one-line messages */
  warnings: string[];
  incomplete: boolean;
  tcpSegments: number;
  skipped: Partial<Record<SkipReason, number>>;
  /** every stream's summary, as columns */
  streamSummaries: StreamSummaries;
  /** the same summaries as objects, built on first read (a 120 k-stream capture: about 0.2 s) and kept */
  readonly streams: StreamSummary[];
  /** values compared for every flagged or near-miss segment, in frame order (see tcp-reasons.ts) */
  evidence: EvidenceTable;
  hints: CaptureHint[];
  /** groups of packets split by outlying timestamp gaps (time-groups.ts); empty when there is none */
  timeGroups: TimeGroup[];
  /** frame → HTTP start line of the header block it completes (the first 100 000) */
  httpStartLines: StartLines;
  /** seconds since 1970 of frame 1 (0 for an empty capture): the origin of `table.time` */
  startTime: number;
  table: PacketTable;
}

export interface AnalyzeProgress extends ReadProgress {
  tcpSegments: number;
}

export interface AnalyzeOptions {
  onProgress?: (progress: AnalyzeProgress) => void;
  signal?: AbortSignal;
  chunkBytes?: number;
  /** what the TLS and HTTP/2 readers saw frame by frame (tests compare it with tshark) */
  observers?: SummarizerObservers;
  /**
   * 2: the stream summaries and the packet table are built on a second thread (summary-thread.ts) while this one reads,
   * decodes and runs the TCP analysis; 1: all on this thread; 'auto' (default): 2 for a file of
   * TWO_THREADS_MIN_BYTES or more on a machine with two cores or more, else 1. Both give the same
   * analysis. Observers need 1 (they are functions of this thread).
   */
  threads?: 1 | 2 | 'auto';
  /** for tests only: the second thread dies hard part-way (see SummaryThreadFault); needs `threads: 2` */
  summaryThreadFault?: SummaryThreadFault;
}

/** The per-record work, shared by the file and stream entry points. */
class AnalysisSink {
  /** written here on one thread; on two, the summary thread writes it and `finish` takes its table */
  table = new PacketTable();
  readonly analyzer = new TcpAnalyzer();
  readonly summarizer: StreamSummarizer;
  private readonly decoder = createDecoder({ reuse: true, options: 'syn' });
  readonly evidence = new EvidenceTable();
  readonly skipped: Partial<Record<SkipReason, number>> = {};
  tcpSegments = 0;
  startTime = 0;
  private previousTime = -Infinity;
  private outOfTimeOrder = 0;
  /** the earliest and latest packet times read, seconds since 1970 (for the time groups) */
  private earliestTime = Infinity;
  private latestTime = -Infinity;

  /** `thread`: the second thread that builds the stream summaries and the packet table, or null to build them here */
  constructor(
    observers: SummarizerObservers | undefined,
    private readonly thread: SummaryThread | null,
  ) {
    this.summarizer = new StreamSummarizer(observers);
  }
  private snaplenCuts = 0;
  private duplicates = 0;
  /** frame → the HTTP start line whose header block it completes (bounded: MAX_START_LINES_KEPT) */
  startLines = new StartLines();
  private previous = {
    stream: -1,
    seq: 0,
    ack: 0,
    flags: 0,
    payload: 0,
    window: -1,
    tsVal: -1,
    ipId: -1,
    time: 0,
    source: -1,
    sourcePort: -1,
  };

  readonly onRecord = (record: CaptureRecord): void => {
    const decoded = this.decoder.decode(record);
    // the decoder has the time of a TCP segment already
    const time = decoded.ok ? decoded.segment.time : record.tsSec + record.tsNsec / 1e9;
    if (record.frame === 1) {
      this.startTime = time;
      if (this.thread !== null) this.thread.writer.startTime = time;
    }
    if (time < this.previousTime) this.outOfTimeOrder += 1;
    else if (time > this.latestTime) this.latestTime = time;
    if (time < this.earliestTime) this.earliestTime = time;
    this.previousTime = time;
    if (!decoded.ok) {
      this.skipped[decoded.reason] = (this.skipped[decoded.reason] ?? 0) + 1;
      if (this.thread !== null) this.thread.writer.addOther(record.frame, time);
      else this.table.push(time - this.startTime, NO_STREAM, 0, 0, 0);
      return;
    }
    const segment = decoded.segment;
    this.tcpSegments += 1;
    const evidence = this.analyzer.analyze(segment, segment.shortHeader !== true);
    if (segment.capturedPayloadLength < segment.payloadLength) this.snaplenCuts += 1;
    const duplicate = this.countDuplicate(segment, evidence.stream, time);
    if (evidence.flags !== 0 || evidence.nearMiss !== 'none') this.evidence.push(evidence);
    if (this.thread !== null) {
      // the summary thread writes the packet-table row (its share of the work: see summary-thread.ts)
      this.thread.writer.add(segment, evidence, duplicate);
      return;
    }
    this.table.push(time - this.startTime, evidence.stream, segment.flags, segment.payloadLength, evidence.flags);
    this.table.setTcpFields(evidence.relativeSeq, evidence.relativeAck, evidence.calculatedWindow, evidence.fromA);
    const http = this.summarizer.add(segment, evidence.stream, evidence.flags, evidence.fromA, duplicate);
    if (http !== null) {
      this.table.markLast(http.request ? PACKET_HTTP_REQUEST : PACKET_HTTP_RESPONSE);
      if (this.startLines.size < MAX_START_LINES_KEPT) this.startLines.add(record.frame, http.startLine);
    }
  };

  /**
   * After each chunk: projects the file's packet count from what was read so far, and from it the
   * streams, probes and evidence entries at the rates seen so far, and reserves every column set
   * once, instead of letting them double (and copy, and page in) their way up.
   */
  onChunk(progress: ReadProgress): void {
    if (this.thread?.failure) throw this.thread.failure;
    this.project(progress);
    // the chunk is parsed: its batch goes now (with the projection), so its shared buffer can be refilled once the batch is summarized
    this.thread?.writer.endChunk();
  }

  private project(progress: ReadProgress): void {
    if (progress.totalBytes === null || progress.bytesRead === 0 || progress.records === 0) return;
    const perByte = progress.records / progress.bytesRead;
    const projected = Math.min(progress.totalBytes * perByte, progress.totalBytes / MIN_RECORD_BYTES);
    // on two threads the summary thread writes the packet table: it reserves the projection sent with each batch
    if (this.thread === null) this.table.reserve(projected * PROJECTION_SLACK);
    else this.thread.writer.projectedRows = projected * PROJECTION_SLACK;
    // streams, probes and evidence come at a less steady rate than packets: more slack (address space only)
    const scale = (projected / progress.records) * ROW_PROJECTION_SLACK;
    const streams = Math.min(MAX_PROJECTED_ROWS, Math.ceil(this.analyzer.streams.count * scale));
    this.analyzer.streams.reserve(streams);
    // the summary thread's stream columns grow as they fill (it has no projection of its own)
    if (this.thread === null) this.summarizer.reserve(streams, Math.min(MAX_PROJECTED_ROWS, Math.ceil(this.summarizer.probeCount * scale)));
    this.evidence.reserve(Math.min(MAX_PROJECTED_ROWS, Math.ceil(this.evidence.length * scale)));
  }

  /**
   * Counts and returns whether the segment is a copy of the one before (see DUPLICATE_WINDOW_SECONDS):
   * the same IP packet seen twice carries the same IPv4 identification, header, window and TCP
   * timestamp too. An ACK and the window update after it share seq, ack and flags but not the window;
   * duplicate ACKs sent back to back differ in their IPv4 identification (Linux counts it per
   * connection): two packets, not a copy.
   */
  private countDuplicate(segment: TcpSegment, stream: number, time: number): boolean {
    const previous = this.previous;
    const source = segment.srcAddress;
    const tsVal = segment.timestampValue;
    const duplicate =
      previous.stream === stream &&
      previous.seq === segment.seq &&
      previous.ack === segment.ack &&
      previous.flags === segment.flags &&
      previous.payload === segment.payloadLength &&
      previous.window === segment.window &&
      previous.tsVal === tsVal &&
      previous.ipId === segment.ipId &&
      previous.source === source &&
      previous.sourcePort === segment.srcPort &&
      Math.abs(time - previous.time) < DUPLICATE_WINDOW_SECONDS;
    if (duplicate) this.duplicates += 1;
    previous.stream = stream;
    previous.seq = segment.seq;
    previous.ack = segment.ack;
    previous.flags = segment.flags;
    previous.payload = segment.payloadLength;
    previous.window = segment.window;
    previous.tsVal = tsVal;
    previous.ipId = segment.ipId;
    previous.time = time;
    previous.source = source;
    previous.sourcePort = segment.srcPort;
    return duplicate;
  }

  /** The analysis, once the summary thread (if any) has summarized every segment. */
  async finish(read: CaptureReadSummary): Promise<CaptureAnalysis> {
    if (this.thread === null) return this.finishWith(read, this.summarizer.finish(this.decoder.addresses));
    const addresses = this.decoder.addresses;
    const result = await this.thread.finish(Array.from({ length: addresses.count }, (_, id) => addresses.text(id)));
    // this thread kept neither: the summary thread's are the analysis's
    this.table = result.table;
    this.startLines = result.startLines;
    return this.finishWith(read, result.summaries);
  }

  private finishWith(read: CaptureReadSummary, streamSummaries: StreamSummaries): CaptureAnalysis {
    // the table's times count from frame 1
    const range = { min: this.earliestTime - this.startTime, max: this.latestTime - this.startTime };
    const groups = timeGroups(this.table.time.subarray(0, this.table.length), range);
    return withStreamObjects({
      format: read.format,
      linkTypes: read.linkTypes.map(linkTypeName),
      packets: read.records,
      warnings: read.warnings.map((warning) => warning.message),
      incomplete: read.incomplete,
      tcpSegments: this.tcpSegments,
      skipped: this.skipped,
      streamSummaries,
      evidence: this.evidence,
      hints: this.hints(streamSummaries, groups),
      timeGroups: groups,
      httpStartLines: this.startLines,
      startTime: this.startTime,
      table: this.table,
    });
  }

  private hints(streams: StreamSummaries, groups: readonly TimeGroup[]): CaptureHint[] {
    const hints: CaptureHint[] = [];
    let midConnection = 0;
    for (let stream = 0; stream < streams.length; stream++) if (streams.synSeen[stream] === 0) midConnection += 1;
    if (midConnection > 0) {
      hints.push({
        code: 'mid-connection',
        count: midConnection,
        message: `${plural(midConnection, 'stream')} began before the capture (no SYN seen): ${pluralWord(midConnection, 'its', 'their')} first keep-alive probe cannot be recognised, and later probes and their ACKs show as Dup ACKs`,
      });
    }
    if (this.duplicates > 0) {
      hints.push({
        code: 'duplicates',
        count: this.duplicates,
        message: `${plural(this.duplicates, 'packet')} ${pluralWord(this.duplicates, 'appears', 'appear')} twice within ${DUPLICATE_WINDOW_SECONDS * 1000} ms (a capture on "-i any" sees a packet on two interfaces): Wireshark then reports Dup ACKs and retransmissions that did not happen; the inferred keepalive settings leave the copies out`,
      });
    }
    if (this.snaplenCuts > 0) {
      hints.push({
        code: 'snaplen-cut',
        count: this.snaplenCuts,
        message: `${plural(this.snaplenCuts, 'segment')} ${pluralWord(this.snaplenCuts, 'was', 'were')} cut short by the snapshot length: flags still hold (they use the IP lengths), but payloads such as HTTP headers may be incomplete`,
      });
    }
    if (this.outOfTimeOrder > 0) {
      hints.push({
        code: 'time-order',
        count: this.outOfTimeOrder,
        message: `${plural(this.outOfTimeOrder, 'packet')} ${pluralWord(this.outOfTimeOrder, 'is', 'are')} stamped earlier than the packet before ${pluralWord(this.outOfTimeOrder, 'it', 'them')}: analysis follows file order, as Wireshark does, so time-based checks (out-of-order, fast retransmission) can differ from what the timestamps suggest`,
      });
    }
    if (groups.length > 1) {
      const outside = this.table.length - (mainGroup(groups)?.packets ?? 0);
      hints.push({ code: 'time-gap', count: outside, message: timeGroupsMessage(groups, this.startTime) });
    }
    const reconnects = tlsReconnectHint(streams);
    if (reconnects) hints.push(reconnects);
    const wiresharkPort = wiresharkPortHint(streams);
    if (wiresharkPort) hints.push(wiresharkPort);
    return hints;
  }
}

/**
 * Gives an analysis without `streams` its `streams`: an own, enumerable property (so spreads and
 * JSON carry it) that builds the summary objects from the columns on first read.
 */
export function withStreamObjects(analysis: Omit<CaptureAnalysis, 'streams'>): CaptureAnalysis {
  let streams: StreamSummary[] | null = null;
  return Object.defineProperty(analysis, 'streams', {
    enumerable: true,
    get: () => (streams ??= analysis.streamSummaries.toArray()),
  }) as CaptureAnalysis;
}

/** Every flagged packet as tshark would list it (frame, stream, flag names), from the packet columns. */
export function listAnnotations(analysis: Pick<CaptureAnalysis, 'table'>): Annotation[] {
  const table = analysis.table;
  const annotations: Annotation[] = [];
  for (let index = 0; index < table.length; index++) {
    const flags = table.analysis[index] ?? 0;
    if (flags !== 0) annotations.push({ frame: index + 1, stream: table.stream[index] ?? NO_STREAM, flags: analysisFlagNames(flags) });
  }
  return annotations;
}

function progressHandler(sink: AnalysisSink, options: AnalyzeOptions): (progress: ReadProgress) => void {
  const onProgress = options.onProgress;
  return (progress) => {
    sink.onChunk(progress);
    onProgress?.({ ...progress, tcpSegments: sink.tcpSegments });
  };
}

/**
 * TLS connections to a server the capture already had a TLS connection to: each paid for its own
 * handshake, which requests on one kept-alive connection would have paid once.
 */
function tlsReconnectHint(streams: StreamSummaries): CaptureHint | null {
  const byServer = new Map<string, { connections: number; full: number; resumed: number; ms: number; timed: number }>();
  for (const [stream, tls] of streams.tls) {
    const clientIsA = tls.clientSide === 'a';
    const address = streams.addresses[clientIsA ? streams.addressB[stream]! : streams.addressA[stream]!] ?? '';
    const endpoint = endpointText(address, clientIsA ? streams.portB[stream]! : streams.portA[stream]!);
    // HTTP/1.1 keeps a connection per origin: connections to one address under different names (SNI) could not be one
    const server = tls.sni ? `${tls.sni} at ${endpoint}` : endpoint;
    const entry = byServer.get(server) ?? { connections: 0, full: 0, resumed: 0, ms: 0, timed: 0 };
    entry.connections += 1;
    entry.resumed += tls.resumed;
    entry.full += tls.list.filter((handshake) => handshake.kind === 'full').length;
    entry.ms += tls.list.reduce((sum, handshake) => sum + (handshake.handshakeMs ?? 0), 0);
    entry.timed += tls.list.filter((handshake) => handshake.handshakeMs !== null && handshake.handshakeMs !== undefined).length;
    byServer.set(server, entry);
  }
  const repeated = [...byServer].filter(([, entry]) => entry.connections > 1).sort((x, y) => y[1].connections - x[1].connections);
  if (repeated.length === 0) return null;
  const extra = repeated.reduce((sum, [, entry]) => sum + entry.connections - 1, 0);
  const [server, top] = repeated[0]!;
  const others = repeated.length > 1 ? ` (and ${plural(repeated.length - 1, 'more server')} likewise)` : '';
  return {
    code: 'tls-reconnects',
    count: extra,
    // a handshake whose end the capture did not hold has no time: say none rather than "0.0 ms"
    message: `${top.connections} TLS connections went to ${server}${others}, each with its own handshake (${top.full} full, ${top.resumed} resumed${top.timed > 0 ? `, ${top.ms.toFixed(1)} ms of handshakes` : ', their times not in the capture'}): requests kept on one connection would pay for one handshake`,
  };
}

/** How many threads analyse `path` (see AnalyzeOptions.threads). */
async function threadCount(path: string, options: AnalyzeOptions): Promise<1 | 2> {
  const wanted = options.threads ?? 'auto';
  if (wanted === 2 && options.observers !== undefined) throw new Error('observers need the single-thread analysis (threads: 1)');
  if (wanted !== 'auto') return wanted;
  if (options.observers !== undefined || availableParallelism() < 2) return 1;
  // a file that cannot be read is reported by the reader, with its own message
  const size = await stat(path).then(
    (status) => status.size,
    () => 0,
  );
  return size >= TWO_THREADS_MIN_BYTES ? 2 : 1;
}

/** Analyses a capture file; rejects with CaptureFormatError for a non-capture, with the abort reason on cancel. */
export async function analyzeCaptureFile(path: string, options: AnalyzeOptions = {}): Promise<CaptureAnalysis> {
  const threads = await threadCount(path, options);
  const thread = threads === 2 ? new SummaryThread(MAX_START_LINES_KEPT, options.summaryThreadFault) : null;
  try {
    const sink = new AnalysisSink(options.observers, thread);
    const read = await readCaptureFile(path, {
      onRecord: sink.onRecord,
      onProgress: progressHandler(sink, options),
      signal: options.signal,
      chunkBytes: options.chunkBytes,
      // read into the second thread's shared buffers, so it reads the payloads where they lie
      chunkBuffer: thread === null ? undefined : (bytes) => thread.writer.takeChunk(bytes),
    });
    return await sink.finish(read);
  } finally {
    thread?.close();
  }
}
