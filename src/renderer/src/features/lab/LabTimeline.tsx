/**
 * The shared Timeline inside a reserved frame: before any event arrives it is
 * drawn empty (same toolbar, plot and legend, so the same height) with a hint
 * over the plot, and nothing below it moves when the first events stream in.
 */
import { useMemo } from 'react';
import type { Session } from '@shared/trace';
import { sessionToTimeline } from '../timeline/session-to-timeline';
import { Timeline } from '../timeline/Timeline';
import { emptyTimeline, type Mark, type Span, type TimelineModel } from '../timeline/timeline-model';

/** CSS px of the plot before data: room for about eight lanes, reserved so nothing below moves when the first lanes arrive */
export const LAB_TIMELINE_HEIGHT_PX = 220;
/** CSS px the plot may grow to so that every lane of a run shows (about 20 lanes); more lanes scroll */
export const LAB_TIMELINE_MAX_HEIGHT_PX = 470;

const EMPTY = emptyTimeline();

export function useSessionTimeline(session: Session | null): TimelineModel | null {
  return useMemo(() => (session && session.events.length > 0 ? sessionToTimeline(session) : null), [session]);
}

/** What the empty timeline says will appear, in the words of the protocol it is for. */
const HINT = {
  http1: 'A lane per connection appears here: a bar per request, orange on a new connection, green on a reused one.',
  http2:
    'A lane per connection appears here, its streams in rows under it: a bar per stream, orange for the one that opened the connection, green for those after it.',
} as const;

export function LabTimeline({
  model,
  label,
  height = LAB_TIMELINE_HEIGHT_PX,
  selectedId = null,
  onSelect,
  protocol = 'http1',
  probes,
}: {
  model: TimelineModel | null;
  label: string;
  height?: number;
  /** the id of the span or mark to outline */
  selectedId?: string | null;
  onSelect?: (item: Mark | Span) => void;
  /** the protocol of the runs drawn here: its legend, lane orders and hint show before the first run */
  protocol?: 'http1' | 'http2';
  /** the lanes can carry TCP keep-alive probes (Timeline's `probes`; default: unless HTTP/2) */
  probes?: boolean;
}) {
  return (
    <div className="lab-timeline" data-testid="lab-timeline">
      <Timeline
        model={model ?? EMPTY}
        height={height}
        maxHeight={Math.max(height, LAB_TIMELINE_MAX_HEIGHT_PX)}
        ariaLabel={label}
        selectedId={selectedId}
        protocol={protocol}
        {...(probes === undefined ? {} : { probes })}
        {...(onSelect ? { onSelect } : {})}
      />
      {model ? null : (
        <p className="lab-timeline-hint muted" aria-hidden="true">
          {HINT[protocol]}
        </p>
      )}
    </div>
  );
}
