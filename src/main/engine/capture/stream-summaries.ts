/**
 * Every stream's summary as typed columns, indexed by tcp.stream, with one summary object made
 * only when asked for (`at`, `toArray`). A big capture has 100 k+ streams: building an
 * object each (with its boxed doubles) took about as long as the whole per-packet analysis, and
 * the columns travel from the analysis worker as transferred buffers instead of cloned objects.
 *
 * Absent values are NaN in the Float64 columns and -1 in the integer ones.
 */
import type { Http2Summary } from './http2';
import type { InferredKeepalive, ProbeSpacing } from './probe-stats';
import type { TlsSummary } from './tls';
import { endpointText } from './tcp-stream-state';

export type StreamEnd = 'rst' | 'fin' | 'open';
export type { Http2Summary, InferredKeepalive, ProbeSpacing, TlsSummary };

export interface StreamSummary {
  stream: number;
  a: string;
  b: string;
  firstFrame: number;
  lastFrame: number;
  /** seconds since 1970 */
  firstTime: number;
  lastTime: number;
  packets: number;
  packetsAtoB: number;
  packetsBtoA: number;
  /** TCP payload bytes (sum of tcp.len) */
  payloadAtoB: number;
  payloadBtoA: number;
  synSeen: boolean;
  end: StreamEnd;
  /** longest gap between two packets of the stream, seconds */
  maxIdleGap: number;
  /** whole requests and responses, counted as tshark counts them */
  httpRequests: number;
  httpResponses: number;
  /** requests begun but never whole (a gap, or the capture ended): not counted by tshark */
  httpPartialRequests: number;
  keepAlives: number;
  keepAliveAcks: number;
  /**
   * keep-alive probes and ACKs that were copies of the segment before (a capture on `-i any`): counted
   * above as tshark counts them, left out of probeSpacing and keepalive
   */
  duplicateProbesIgnored: number;
  /** seconds between consecutive probes from the same side: min / median / max; null under two probes */
  probeSpacing: ProbeSpacing | null;
  keepalive: InferredKeepalive | null;
  /** TLS handshakes seen on the stream (tls.ts); absent when it carried none */
  tls?: TlsSummary;
  /** cleartext HTTP/2 (http2.ts); absent when the stream did not carry it */
  http2?: Http2Summary;
}

/** `end` codes */
export const END_OPEN = 0;
export const END_FIN = 1;
export const END_RST = 2;
const END_NAMES: StreamEnd[] = ['open', 'fin', 'rst'];
/** `prober` codes */
export const PROBER_NONE = -1;
export const PROBER_A = 0;
export const PROBER_B = 1;

const absent = (value: number): number | null => (Number.isNaN(value) ? null : value);

/**
 * Plain data (typed arrays and one string list), so it survives a worker's structured clone:
 * rebuild with `Object.assign(new StreamSummaries(), cloned)`.
 */
export class StreamSummaries {
  length = 0;
  /** address text by AddressBook id */
  addresses: string[] = [];
  addressA = new Int32Array(0);
  addressB = new Int32Array(0);
  portA = new Uint16Array(0);
  portB = new Uint16Array(0);
  firstFrame = new Uint32Array(0);
  lastFrame = new Uint32Array(0);
  firstTime = new Float64Array(0);
  lastTime = new Float64Array(0);
  packetsAtoB = new Uint32Array(0);
  packetsBtoA = new Uint32Array(0);
  payloadAtoB = new Float64Array(0);
  payloadBtoA = new Float64Array(0);
  /** 1 when a SYN was seen */
  synSeen = new Uint8Array(0);
  /** END_* */
  end = new Uint8Array(0);
  maxIdleGap = new Float64Array(0);
  httpRequests = new Uint32Array(0);
  httpResponses = new Uint32Array(0);
  httpPartialRequests = new Uint32Array(0);
  keepAlives = new Uint32Array(0);
  keepAliveAcks = new Uint32Array(0);
  duplicateProbesIgnored = new Uint32Array(0);
  /** probe spacing, seconds (NaN: under two probes on a side) */
  spacingMin = new Float64Array(0);
  spacingMedian = new Float64Array(0);
  spacingMax = new Float64Array(0);
  /** PROBER_* (PROBER_NONE: no probes, so no inferred settings) */
  prober = new Int8Array(0);
  /** inferred settings, seconds (NaN: unknown) */
  idleSeconds = new Float64Array(0);
  intervalSeconds = new Float64Array(0);
  /** -1: unknown */
  probesBeforeGiveUp = new Int32Array(0);
  /** the few streams that carried TLS or cleartext HTTP/2, by stream */
  tls = new Map<number, TlsSummary>();
  http2 = new Map<number, Http2Summary>();

  /** The summary of stream `stream` (0 ≤ stream < length), as a new object. */
  at(stream: number): StreamSummary {
    const packetsAtoB = this.packetsAtoB[stream]!;
    const packetsBtoA = this.packetsBtoA[stream]!;
    const prober = this.prober[stream]!;
    const spacingMedian = this.spacingMedian[stream]!;
    const probesBeforeGiveUp = this.probesBeforeGiveUp[stream]!;
    const tls = this.tls.get(stream);
    const http2 = this.http2.get(stream);
    return {
      stream,
      a: endpointText(this.addresses[this.addressA[stream]!] ?? '', this.portA[stream]!),
      b: endpointText(this.addresses[this.addressB[stream]!] ?? '', this.portB[stream]!),
      firstFrame: this.firstFrame[stream]!,
      lastFrame: this.lastFrame[stream]!,
      firstTime: this.firstTime[stream]!,
      lastTime: this.lastTime[stream]!,
      packets: packetsAtoB + packetsBtoA,
      packetsAtoB,
      packetsBtoA,
      payloadAtoB: this.payloadAtoB[stream]!,
      payloadBtoA: this.payloadBtoA[stream]!,
      synSeen: this.synSeen[stream] === 1,
      end: END_NAMES[this.end[stream]!] ?? 'open',
      maxIdleGap: this.maxIdleGap[stream]!,
      httpRequests: this.httpRequests[stream]!,
      httpResponses: this.httpResponses[stream]!,
      httpPartialRequests: this.httpPartialRequests[stream] ?? 0,
      keepAlives: this.keepAlives[stream]!,
      keepAliveAcks: this.keepAliveAcks[stream]!,
      duplicateProbesIgnored: this.duplicateProbesIgnored[stream] ?? 0,
      probeSpacing: Number.isNaN(spacingMedian)
        ? null
        : { min: this.spacingMin[stream]!, median: spacingMedian, max: this.spacingMax[stream]! },
      keepalive:
        prober === PROBER_NONE
          ? null
          : {
              prober: prober === PROBER_A ? 'a' : 'b',
              idleSeconds: absent(this.idleSeconds[stream]!),
              intervalSeconds: absent(this.intervalSeconds[stream]!),
              probesBeforeGiveUp: probesBeforeGiveUp < 0 ? null : probesBeforeGiveUp,
            },
      ...(tls ? { tls } : {}),
      ...(http2 ? { http2 } : {}),
    };
  }

  /** Every summary as an object, in stream order. */
  toArray(): StreamSummary[] {
    const result: StreamSummary[] = [];
    for (let stream = 0; stream < this.length; stream++) result.push(this.at(stream));
    return result;
  }

  /** Keep-alive probes over all streams. */
  totalKeepAlives(): number {
    let total = 0;
    for (let stream = 0; stream < this.length; stream++) total += this.keepAlives[stream]!;
    return total;
  }
}
