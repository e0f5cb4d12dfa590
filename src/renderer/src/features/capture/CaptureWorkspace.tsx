/**
 * An opened capture: summary on top; the timeline and the stream/packet lists on
 * the left; the selected packet's details and explanation on the right, sticky, so
 * the explanation stays in view while the learner walks the list. Keyed by capture
 * id, so opening another file starts clean.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { binsToTimeline } from '../timeline/bins-to-timeline';
import { Timeline } from '../timeline/Timeline';
import { emptyTimeline, type Mark, type Span } from '../timeline/timeline-model';
import type { CaptureClient } from './capture-client';
import type { CaptureOverview, StreamRow } from './capture-model';
import { captureTimelineInput, markIdOf, timelineRange, type CaptureMarks } from './capture-timeline';
import { mainGroupIndex, TimeGroupPicker } from './TimeGroupPicker';
import { formatCount } from './format';
import { PacketDetails } from './PacketDetails';
import { PacketList } from './PacketList';
import { StreamList } from './StreamList';
import { SummaryPanel } from './SummaryPanel';
import { usePacketList } from './use-packet-list';

export interface CaptureWorkspaceProps {
  client: CaptureClient;
  overview: CaptureOverview;
}

type ListTab = 'packets' | 'streams';

export function CaptureWorkspace({ client, overview }: CaptureWorkspaceProps) {
  const { captureId } = overview;
  const [streams, setStreams] = useState<StreamRow[] | null>(null);
  const [marks, setMarks] = useState<CaptureMarks | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<ListTab>('packets');
  const packets = usePacketList(client, captureId);

  useEffect(() => {
    let live = true;
    void client.streams(captureId).then((result) => {
      if (!live) return;
      if (result.ok) setStreams(result.value);
      else setError(result.error.message);
    });
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
  const selectedStream = streams?.find((row) => row.stream === query.stream) ?? null;
  const streamStarts = useMemo(() => new Map((streams ?? []).map((row) => [row.stream, row.startS])), [streams]);
  const streamStartS = useCallback((stream: number) => streamStarts.get(stream) ?? null, [streamStarts]);
  // the Time column is sized for the latest packet: a group of packets years after frame 1 needs nine digits
  const maxTimeS = Math.max(overview.durationS ?? 0, ...overview.timeGroups.map((group) => group.endS));
  const range = useMemo(
    () => timelineRange(overview.timeGroups, groupIndex, selectedStream),
    [overview.timeGroups, groupIndex, selectedStream],
  );
  const model = useMemo(
    () => (streams ? binsToTimeline(captureTimelineInput(streams, marks, overview.durationS, range)) : emptyTimeline()),
    [streams, marks, overview.durationS, range],
  );

  const selectedPacket = packets.detail;
  const selectedId = selectedPacket && selectedPacket.stream !== null ? markIdOf(selectedPacket.stream, selectedPacket.frame) : null;
  const onTimelineSelect = (item: Mark | Span) => {
    if (!('frame' in item) || !item.frame) return;
    setTab('packets');
    void selectFrame(item.frame);
  };
  const tabs: Array<{ name: ListTab; label: string }> = [
    { name: 'packets', label: `Packets${packets.total === null ? '' : ` (${formatCount(packets.total)})`}` },
    { name: 'streams', label: `Streams (${formatCount(streams?.length ?? overview.streams)})` },
  ];

  return (
    <div className="capture-workspace">
      <SummaryPanel overview={overview} />
      <div className="capture-columns">
        <div className="capture-main">
          {error || packets.error ? (
            <div role="alert" className="error-box">
              {error ?? packets.error}
            </div>
          ) : null}
          <section
            className="card capture-timeline"
            aria-labelledby="capture-timeline-title"
            data-testid="capture-timeline"
            // how many annotated packets the timeline has, once they have arrived (measurements wait for it)
            data-marks={marks ? marks.frame.length : undefined}
          >
            <div className="panel-head">
              <h2 id="capture-timeline-title">Timeline</h2>
              <span className="muted" aria-live="polite">
                {marks ? `${formatCount(marks.frame.length)} annotated packets` : 'loading the annotated packets…'}
                {selectedStream ? ` · zoomed to stream ${selectedStream.stream}` : ''}
              </span>
              {overview.timeGroups.length > 1 && selectedStream === null ? (
                <TimeGroupPicker overview={overview} selected={groupIndex} onSelect={setGroupIndex} />
              ) : null}
            </div>
            <Timeline
              model={model}
              height={200}
              // grows to show about 20 lanes (a 10-stream capture whole); more streams scroll
              maxHeight={470}
              ariaLabel={`Streams of ${overview.fileName} over time`}
              selectedId={selectedId}
              onSelect={onTimelineSelect}
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
                  streams={streams ?? []}
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
