/**
 * What the capture timeline says about the annotated packets it does not draw. The header counts
 * every annotated packet of the capture (any flag of annotation-kinds.ts); the timeline draws a
 * mark only for probes, their ACKs, zero-window probes and retransmissions, and only on the lanes
 * drawn (at most MAX_TIMELINE_LANES of a big range). On a 120,000-stream capture whose annotations
 * are all "Ports reused", the header said 92,543 while no mark could be seen: this sentence says
 * where they went and where to find them. Pure.
 */
import type { CaptureMarksInput } from '../timeline/bins-to-timeline';
import { MARK_KIND_CODE, MARK_KINDS } from '../timeline/timeline-model';
import { annotationKind } from './annotation-kinds';
import { markKindOfFlag, type CaptureMarks, type TimeRangeS } from './capture-timeline';
import { formatCount } from './format';

/** Annotated packets of one kind that the timeline has no mark for. */
export interface UnmarkedKind {
  /** the packet's first annotation (tshark flag name), e.g. `reused_ports` */
  flag: string;
  count: number;
}

/** Most kinds named in the sentence; the rest are counted ("and 3 other kinds"). */
const NAMED_KINDS = 4;

/** The annotated packets the timeline has no mark for, by kind, most first: given with the marks, or counted from their flags. */
export function unmarkedKinds(marks: CaptureMarks): readonly UnmarkedKind[] {
  if (marks.unmarked) return marks.unmarked;
  const counts = new Map<string, number>();
  const flags = marks.flag;
  for (let index = 0; flags && index < flags.length; index++) {
    const flag = flags[index] ?? '';
    if (markKindOfFlag(flag) === null) counts.set(flag, (counts.get(flag) ?? 0) + 1);
  }
  return [...counts].map(([flag, count]) => ({ flag, count })).sort((left, right) => right.count - left.count);
}

/** Marks the timeline draws: those on a drawn lane with a kind it has a tick for. */
export function drawnMarkCount(columns: CaptureMarksInput | undefined): number {
  if (!columns) return 0;
  let drawn = 0;
  for (const code of columns.kind) if (code < MARK_KINDS.length) drawn++;
  return drawn;
}

/** Marks of a kind the timeline draws whose packet lies outside `range` (seconds since frame 1): in another time group, when the range is one. */
export function drawableMarksOutside(marks: CaptureMarks, range: TimeRangeS): number {
  let outside = 0;
  for (let index = 0; index < marks.timeS.length; index++) {
    const timeS = marks.timeS[index] ?? 0;
    if (timeS >= range.startS && timeS <= range.endS) continue;
    const code = marks.kindCode ? marks.kindCode[index] : markCodeOfFlag(marks.flag?.[index]);
    if (code !== undefined && code < MARK_KINDS.length) outside++;
  }
  return outside;
}

function markCodeOfFlag(flag: string | undefined): number | undefined {
  const kind = flag === undefined ? null : markKindOfFlag(flag);
  return kind === null ? undefined : MARK_KIND_CODE[kind];
}

/**
 * One sentence on the annotated packets not drawn, and where to find them; empty when every one is
 * drawn. `total`: annotated packets of the capture; `drawn`: marks on the lanes drawn; `unmarked`:
 * those of kinds the timeline has no mark for; `elsewhere`: marks not drawn because they lie in
 * another part of the capture, and where ("in the other time group"). The others are on streams
 * with no lane here.
 */
export function markSentence(tally: {
  total: number;
  drawn: number;
  unmarked: readonly UnmarkedKind[];
  elsewhere?: { count: number; where: string };
}): string {
  const unmarked = tally.unmarked.reduce((sum, kind) => sum + kind.count, 0);
  const notDrawn = Math.max(0, tally.total - tally.drawn);
  const elsewhere = Math.min(tally.elsewhere?.count ?? 0, Math.max(0, notDrawn - unmarked));
  const offLanes = Math.max(0, notDrawn - unmarked - elsewhere);
  if (notDrawn === 0) return '';
  const lead =
    tally.drawn > 0
      ? `${formatCount(notDrawn)} of the ${formatCount(tally.total)} annotated packets are not drawn`
      : tally.total === 1
        ? 'The annotated packet is not drawn'
        : `None of the ${formatCount(tally.total)} annotated packets is drawn`;
  const parts = [
    { count: unmarked, words: `annotated ${kindNames(tally.unmarked)}, which the timeline does not mark` },
    { count: elsewhere, words: tally.elsewhere?.where ?? '' },
    { count: offLanes, words: `on ${offLanes === 1 ? 'a stream' : 'streams'} with no lane here` },
  ].filter((part) => part.count > 0);
  // one reason: "they are …"; more: "3 are …, and 1 is …"
  const subject = (count: number) =>
    parts.length > 1 ? `${formatCount(count)} ${count === 1 ? 'is' : 'are'}` : count === 1 ? 'it is' : 'they are';
  const reasons = parts.map((part) => `${subject(part.count)} ${part.words}`);
  const listed = reasons.length > 1 ? `${reasons.slice(0, -1).join(', ')}, and ${reasons.at(-1)}` : (reasons[0] ?? '');
  return `${lead}: ${listed}. The Packets list’s filters find ${notDrawn === 1 ? 'it' : 'them'}.`;
}

/** "Dup ACK", "Dup ACK or Out of order", "Dup ACK, Out of order, Window update or Window full", "…, Window update and 2 other kinds" */
function kindNames(kinds: readonly UnmarkedKind[]): string {
  const labels = kinds.map((kind) => annotationKind(kind.flag).label);
  if (labels.length > NAMED_KINDS)
    return `${labels.slice(0, NAMED_KINDS - 1).join(', ')} and ${labels.length - NAMED_KINDS + 1} other kinds`;
  if (labels.length === 1) return labels[0] ?? '';
  return `${labels.slice(0, -1).join(', ')} or ${labels.at(-1)}`;
}
