/**
 * Which legend entries (draw-style.ts LEGEND) a timeline model draws, so the legend can dim the
 * others in place: every entry keeps its slot, so the page does not move when a run arrives.
 *
 * Pure TypeScript: no DOM, unit-tested in Node.
 */
import type { LegendKey } from './draw-style';
import { MARK_KINDS, type Span, type TimelineModel } from './timeline-model';

/** A request bar's legend entry, chosen as spanColor chooses its colour: failed, then reused, new or not known. */
function requestKey(span: Pick<Span, 'reused' | 'failed'>): LegendKey {
  if (span.failed === true) return 'request-failed';
  return span.reused === true ? 'request-reused' : span.reused === false ? 'request-new' : 'request-unknown';
}

/** The legend keys of everything `model` draws; null for an empty model (nothing to compare the legend with yet). */
export function drawnLegendKeys(model: TimelineModel): ReadonlySet<LegendKey> | null {
  if (model.lanes.length === 0) return null;
  const drawn = new Set<LegendKey>();
  for (const lane of model.lanes) {
    for (const span of lane.spans) drawn.add(span.kind === 'request' ? requestKey(span) : span.kind);
    for (const mark of lane.marks) drawn.add(mark.kind);
    const codes = lane.columns?.kind;
    if (!codes) continue;
    // a big lane's marks are a typed array: one pass, stopping once every mark kind has been seen
    const seen = new Set<number>();
    for (let index = 0; index < codes.length && seen.size < MARK_KINDS.length; index++) seen.add(codes[index] ?? 0);
    for (const code of seen) {
      const kind = MARK_KINDS[code];
      if (kind) drawn.add(kind);
    }
  }
  return drawn;
}
