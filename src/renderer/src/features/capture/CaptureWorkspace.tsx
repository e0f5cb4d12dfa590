/**
 * An opened capture: summary on top; the timeline and the stream/packet lists on
 * the left; the selected packet's details and explanation on the right, sticky, so
 * the explanation stays in view while the learner walks the list. Keyed by capture
 * id, so opening another file starts clean.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { binsToTimeline } from '../timeline/bins-to-timeline';
import type { LaneSort } from '../timeline/lane-layout';
import { Timeline } from '../timeline/Timeline';
import type { Mark, Span } from '../timeline/timeline-model';
import type { CaptureClient } from './capture-client';
import type { CaptureOverview, StreamRow } from './capture-model';
import { captureTimelineInput, markIdOf, timelineRange, type CaptureMarks } from './capture-timeline';
import { mainGroupIndex, TimeGroupPicker } from './TimeGroupPicker';
import { formatCount } from './format';
import { PacketDetails } from './PacketDetails';
import { PacketList } from './PacketList';
import { StreamList } from './StreamList';
import { SummaryPanel } from './SummaryPanel';
import { earlyLanesEndS, laneSentence, type LaneScope } from './timeline-lanes';
import { drawableMarksOutside, markSentence, unmarkedKinds } from './timeline-marks';
import { usePacketList } from './use-packet-list';
import { useStreamList } from './use-stream-list';
import { useTimelineLanes } from './use-timeline-lanes';

export interface CaptureWorkspaceProps {
  client: CaptureClient;
  overview: CaptureOverview;
}

type ListTab = 'packets' | 'streams';

export function CaptureWorkspace({ client, overview }: CaptureWorkspaceProps) {
  const { captureId } = overview;
  const [fetchedStream, setFetchedStream] = useState<StreamRow | null>(null);
  const [marks, setMarks] = useState<CaptureMarks | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<ListTab>('packets');
  const packets = usePacketList(client, captureId);
  const streamList = useStreamList(client, captureId);

  useEffect(() => {
    let live = true;
    void client.marks(captureId).then((result) => {
      if (!live) return;
      if (result.ok) setMarks(result.value);
      else setError(result.error.message);
    });
    return () => {
      live = false;
    };
  }, [client, captureId]);

  const { query, setQuery, selectFrame } = packets;
  const [groupIndex, setGroupIndex] = useState(() => mainGroupIndex(overview.timeGroups));
  // the chosen stream's row, asked for when the page does not hold it (a stream far down a 120,000-stream list)
  useEffect(() => {
    let live = true;
    if (query.stream !== null)
      void client.stream(captureId, query.stream).then((result) => {
        if (!live) return;
        if (result.ok) setFetchedStream(result.value);
        else setError(result.error.message);
      });
    return () => {
      live = false;
    };
  }, [client, captureId, query.stream]);
  const selectedStream = query.stream !== null && fetchedStream?.stream === query.stream ? fetchedStream : null;
  // every packet row shown has its stream's row in the client's cache (fetched with the page)
  const streamStartS = useCallback((stream: number) => client.cachedStream(captureId, stream)?.startS ?? null, [client, captureId]);
  // the Time column is sized for the latest packet: a group of packets years after frame 1 needs nine digits
  const maxTimeS = Math.max(overview.durationS ?? 0, ...overview.timeGroups.map((group) => group.endS));
  const range = useMemo(
    () => timelineRange(overview.timeGroups, groupIndex, selectedStream),
    [overview.timeGroups, groupIndex, selectedStream],
  );
  const laneScope = useMemo<LaneScope>(
    () =>
      selectedStream ? { kind: 'stream', stream: selectedStream.stream } : { kind: overview.timeGroups.length > 1 ? 'group' : 'capture' },
    [selectedStream, overview.timeGroups.length],
  );
  // the timeline's lanes: the streams of the range it shows, asked of the engine, the first in the timeline's lane order
  const [laneSort, setLaneSort] = useState<LaneSort>('start');
  const lanes = useTimelineLanes(client, captureId, overview.firstTimeS ?? 0, range, laneScope, laneSort);
  const laneRows = useMemo(() => lanesWith(lanes.rows ?? [], selectedStream), [lanes.rows, selectedStream]);
  const timelineInput = useMemo(
    () => captureTimelineInput(laneRows, marks, overview.durationS, range, selectedStream?.stream ?? null, lanes.events),
    [laneRows, marks, overview.durationS, range, selectedStream, lanes.events],
  );
  const model = useMemo(() => binsToTimeline(timelineInput), [timelineInput]);
  const unmarked = useMemo(() => (marks ? unmarkedKinds(marks) : []), [marks]);
  // marks in the other time groups: said as such, so the learner knows to switch group
  const otherGroups = overview.timeGroups.length - 1;
  const elsewhere = useMemo(
    () =>
      marks && range && laneScope.kind === 'group'
        ? { count: drawableMarksOutside(marks, range), where: otherGroups === 1 ? 'in the other time group' : 'in other time groups' }
        : undefined,
    [marks, range, laneScope.kind, otherGroups],
  );
  // said once the lanes have arrived, of the lanes drawn (while the next ones are on their way too:
  // the live region then announces only a settled result, and nothing when it reads the same)
  const laneNote =
    lanes.rows === null
      ? ''
      : laneSentence({
          drawn: lanes.rows.length,
          total: lanes.total,
          scope: lanes.scope,
          baseTotal: lanes.baseTotal,
          baseScope: laneScope,
          sort: lanes.sort,
          chosenAfter: laneRows.length > lanes.rows.length ? selectedStream?.stream : null,
          // the first to start of a capture or group may all end early in it: say where they are
          endedWithinS:
            lanes.sort === 'start' && (lanes.scope.kind === 'capture' || lanes.scope.kind === 'group')
              ? earlyLanesEndS(lanes.rows, range ?? { startS: 0, endS: overview.durationS ?? 0 })
              : null,
        });
  const marksNote =
    lanes.rows === null || marks === null
      ? ''
      : markSentence({ total: marks.frame.length, drawn: timelineInput.annotatedDrawn, unmarked, elsewhere });

  const selectedPacket = packets.detail;
  const selectedId = selectedPacket && selectedPacket.stream !== null ? markIdOf(selectedPacket.stream, selectedPacket.frame) : null;
  // a mark's packet, or a request's: the frame that completes its header block
  const onTimelineSelect = (item: Mark | Span) => {
    if (!item.frame) return;
    setTab('packets');
    void selectFrame(item.frame);
  };
  const tabs: Array<{ name: ListTab; label: string }> = [
    { name: 'packets', label: `Packets${packetCount(packets.total, overview.packets)}` },
    { name: 'streams', label: `Streams (${formatCount(overview.streams)})` },
  ];

  return (
    <div className="capture-workspace">
      <SummaryPanel overview={overview} />
      <div className="capture-columns">
        <div className="capture-main">
          {error || packets.error || lanes.error ? (
            <div role="alert" className="error-box">
              {error ?? packets.error ?? lanes.error}
            </div>
          ) : null}
          <section
            className="card capture-timeline"
            aria-labelledby="capture-timeline-title"
            data-testid="capture-timeline"
            // how many annotated packets the timeline has, once they have arrived (measurements wait for it)
            data-marks={marks ? marks.frame.length : undefined}
            // lanes drawn (the chosen stream's too) and streams in the range they were asked for, once the engine has answered
            data-lanes={lanes.rows ? laneRows.length : undefined}
            data-lane-streams={lanes.rows ? lanes.total : undefined}
          >
            <div className="panel-head">
              <h2 id="capture-timeline-title">Timeline</h2>
              <span className="muted" aria-live="polite">
                {marks ? annotatedCount(marks.frame.length) : 'loading the annotated packets…'}
                {selectedStream ? ` · zoomed to stream ${selectedStream.stream}` : ''}
              </span>
              {overview.timeGroups.length > 1 && selectedStream === null ? (
                <TimeGroupPicker overview={overview} selected={groupIndex} onSelect={setGroupIndex} />
              ) : null}
            </div>
            {lanes.rows === null ? <p className="muted timeline-lanes-note">Finding the streams of the range shown…</p> : null}
            <p className="muted timeline-lanes-note" aria-live="polite" aria-busy={lanes.updating} data-testid="timeline-note">
              {laneNote ? <span data-testid="timeline-lanes">{laneNote}</span> : null}
              {laneNote && marksNote ? ' ' : null}
              {marksNote ? <span data-testid="timeline-marks-note">{marksNote}</span> : null}
            </p>
            <Timeline
              model={model}
              height={200}
              // grows to show about 20 lanes (a 10-stream capture whole); more streams scroll
              maxHeight={470}
              ariaLabel={`Streams of ${overview.fileName} over time`}
              selectedId={selectedId}
              onSelect={onTimelineSelect}
              onViewChange={lanes.onViewChange}
              onSortChange={setLaneSort}
            />
          </section>
          <section className="card capture-lists" aria-label="Packets and streams">
            <div role="tablist" className="list-tabs" aria-label="List">
              {tabs.map((entry) => (
                <button
                  key={entry.name}
                  type="button"
                  role="tab"
                  id={`capture-tab-${entry.name}`}
                  aria-selected={tab === entry.name}
                  aria-controls={`capture-panel-${entry.name}`}
                  className="list-tab"
                  onClick={() => setTab(entry.name)}
                >
                  {entry.label}
                </button>
              ))}
            </div>
            <div role="tabpanel" id={`capture-panel-${tab}`} aria-labelledby={`capture-tab-${tab}`}>
              {tab === 'packets' ? (
                <PacketList
                  query={query}
                  onQueryChange={setQuery}
                  total={packets.total}
                  row={packets.row}
                  onRangeChange={packets.onRangeChange}
                  selectedIndex={packets.selected?.index ?? null}
                  onSelectIndex={packets.selectIndex}
                  revealIndex={packets.revealIndex}
                  version={packets.version}
                  firstTimeS={overview.firstTimeS}
                  maxTimeS={maxTimeS}
                  streamStartS={streamStartS}
                />
              ) : (
                <StreamList
                  list={streamList}
                  streamCount={overview.streams}
                  selectedStream={query.stream}
                  onSelectStream={(stream) => {
                    setQuery({ ...query, stream });
                    if (stream !== null) setTab('packets');
                  }}
                />
              )}
            </div>
          </section>
        </div>
        <aside className="capture-side" aria-label="Selected packet">
          <PacketDetails packet={selectedPacket} stream={selectedStream} />
        </aside>
      </div>
    </div>
  );
}

/** The timeline's lanes, with the chosen stream's added when it is past them (so zooming to it shows it; it is pinned on top). */
function lanesWith(lanes: readonly StreamRow[], selected: StreamRow | null): readonly StreamRow[] {
  if (!selected || lanes.some((row) => row.stream === selected.stream)) return lanes;
  return [...lanes, selected];
}

/** "no annotated packets", "1 annotated packet", "158 annotated packets" */
function annotatedCount(count: number): string {
  return count === 0 ? 'no annotated packets' : `${formatCount(count)} annotated packet${count === 1 ? '' : 's'}`;
}

/** " (940,000)", or " (150 of 940,000)" while filters are on: the tab never reads as the capture's size when it is not */
function packetCount(matching: number | null, all: number): string {
  if (matching === null) return '';
  return matching === all ? ` (${formatCount(all)})` : ` (${formatCount(matching)} of ${formatCount(all)})`;
}
