/**
 * For a capture whose timestamps fall in groups far apart (a merged capture, a clock jump): which
 * group the timeline shows. An axis over the whole span would be empty but for two slivers.
 */
import type { CaptureOverview, TimeGroupView } from './capture-model';
import { formatCount, formatDuration } from './format';

/** The group with the most packets (the earliest on a tie). */
export function mainGroupIndex(groups: readonly TimeGroupView[]): number {
  let best = 0;
  groups.forEach((group, index) => {
    if (group.packets > (groups[best]?.packets ?? -1)) best = index;
  });
  return best;
}

/** "2016-08-02 · 1,032 packets · 1 min" */
export function timeGroupLabel(group: TimeGroupView, firstTimeS: number | null): string {
  const day = firstTimeS === null ? null : new Date((firstTimeS + group.startS) * 1000).toISOString().slice(0, 10);
  return [
    day ?? `frames ${group.firstFrame}–${group.lastFrame}`,
    `${formatCount(group.packets)} packets`,
    formatDuration(group.endS - group.startS),
  ].join(' · ');
}

export function TimeGroupPicker({
  overview,
  selected,
  onSelect,
}: {
  overview: CaptureOverview;
  selected: number;
  onSelect(index: number): void;
}) {
  return (
    <label className="time-group-picker">
      Time group{' '}
      <select value={selected} onChange={(event) => onSelect(Number(event.target.value))} data-testid="time-group">
        {overview.timeGroups.map((group, index) => (
          <option key={group.firstFrame} value={index}>
            {timeGroupLabel(group, overview.firstTimeS)}
          </option>
        ))}
      </select>
    </label>
  );
}
