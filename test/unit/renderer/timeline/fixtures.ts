/**
 * Shared test helpers: a generated big capture in the timeline's typed-array
 * input shape, and a Painter that counts what a frame would draw.
 */
import { binsToTimeline, type CaptureLaneInput } from '@renderer/features/timeline/bins-to-timeline';
import type { Painter } from '@renderer/features/timeline/draw-timeline';
import { MARK_KIND_CODE, type Span, type TimelineModel } from '@renderer/features/timeline/timeline-model';

/**
 * `markCount` annotated packets over `laneCount` lanes in one hour: lane 0 carries
 * half of them (a probe/ACK pair every few ms — the worst case for density), the
 * others share the rest; each lane has `requestsPerLane` requests with idle gaps.
 */
export function generatedCapture(markCount: number, laneCount: number, requestsPerLane = 4): TimelineModel {
  const hourUs = 3600e6;
  const t = new Float64Array(markCount);
  const lane = new Uint32Array(markCount);
  const kind = new Uint8Array(markCount);
  const frame = new Uint32Array(markCount);
  const busy = Math.floor(markCount / 2);
  for (let index = 0; index < markCount; index++) {
    const onBusyLane = index < busy;
    lane[index] = onBusyLane ? 0 : 1 + (index % Math.max(1, laneCount - 1));
    t[index] = onBusyLane ? (index / busy) * hourUs : ((index * 7919) % markCount) * (hourUs / markCount);
    kind[index] = index % 2 === 0 ? MARK_KIND_CODE['keepalive-probe'] : MARK_KIND_CODE['keepalive-ack'];
    frame[index] = index + 1;
  }
  const lanes: CaptureLaneInput[] = Array.from({ length: laneCount }, (_, index) => {
    const spans: Span[] = [];
    const slotUs = hourUs / requestsPerLane;
    for (let request = 0; request < requestsPerLane; request++) {
      const startUs = request * slotUs;
      spans.push({ id: `s${index}/r${request}`, kind: 'request', startUs, endUs: startUs + slotUs / 10, reused: request > 0 });
      spans.push({ id: `s${index}/i${request}`, kind: 'idle', startUs: startUs + slotUs / 10, endUs: startUs + slotUs, reused: null });
    }
    return { id: `s${index}`, label: `stream ${index}`, group: index % 2 === 0 ? 'even' : 'odd', startUs: 0, endUs: hourUs, spans };
  });
  return binsToTimeline({ startUs: 0, endUs: hourUs, lanes, marks: { t, lane, kind, frame } });
}

/** The fake font's width of every character (CSS px). */
export const CHAR_WIDTH_PX = 7;

export interface CountingPainter extends Painter {
  rects: number;
  fills: number;
  texts: string[];
}

export function countingPainter(): CountingPainter {
  return {
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    font: '',
    textBaseline: 'alphabetic',
    textAlign: 'start',
    globalAlpha: 1,
    rects: 0,
    fills: 0,
    texts: [],
    setTransform() {},
    clearRect() {},
    fillRect() {
      this.rects++;
    },
    strokeRect() {
      this.rects++;
    },
    beginPath() {},
    rect() {
      this.rects++;
    },
    fill() {
      this.fills++;
    },
    fillText(text: string) {
      this.texts.push(text);
    },
    // 7 CSS px a character: about system-ui at 12 px
    measureText(text: string) {
      return { width: text.length * CHAR_WIDTH_PX };
    },
    save() {},
    restore() {},
    clip() {},
  };
}
