/**
 * What a lesson run showed, drawn: the lab's own timelines (two runs side by side for a comparison)
 * with the lanes the lesson is about highlighted, and the packets it points at listed.
 */
import { useMemo } from 'react';
import type { LessonRun } from '@shared/api-learn';
import { HttpCompare } from '../lab/HttpCompare';
import { LabTimeline, useSessionTimeline } from '../lab/LabTimeline';
import type { Session } from '@shared/trace';
import { withHighlightedLanes } from '../timeline/timeline-model';
import { HarLessonEvidence } from './HarLessonEvidence';
import { Http2LessonEvidence } from './Http2LessonEvidence';
import { LaneChips, type Lane } from './LaneChips';
import { packetWords } from './packet-words';
import { tcpFlagNames } from '@shared/tcp-header-flags';

export function LessonEvidence({ run }: { run: LessonRun }) {
  const result = run.result;
  return (
    <div className="lesson-evidence">
      {result?.kind === 'http-compare' ? <CompareEvidence run={run} result={result} /> : null}
      {result?.kind === 'tcp' ? <SessionEvidence run={run} session={result.session} /> : null}
      {result?.kind === 'har-example' ? <HarLessonEvidence run={run} result={result} /> : null}
      {result?.kind === 'http2' ? <Http2LessonEvidence run={run} result={result} /> : null}
      {run.highlight.packets.length > 0 ? <PacketEvidence run={run} /> : null}
      {result?.kind === 'example' ? (
        <p>
          <a href={`#captures/example/${result.exampleId}`}>Open this capture on the Captures page</a> to see every packet and stream.
        </p>
      ) : null}
    </div>
  );
}

function CompareEvidence({ run, result }: { run: LessonRun; result: Extract<NonNullable<LessonRun['result']>, { kind: 'http-compare' }> }) {
  const side = run.highlight.side ?? 'b';
  const shown = side === 'a' ? result.a : result.b;
  const lanes: Lane[] = shown.connections.map((connection) => ({
    id: connection.id,
    text: `${connection.requests} ${connection.requests === 1 ? 'request' : 'requests'}, ${closedWords(connection.closed.how)}`,
  }));
  const highlight = useMemo(() => ({ side, lanes: new Set(run.highlight.lanes) }), [side, run.highlight.lanes]);
  const runs = useMemo(
    () => [
      { number: 1, title: result.titles[0], protocol: 'http1' as const, result: result.a },
      { number: 2, title: result.titles[1], protocol: 'http1' as const, result: result.b },
    ],
    [result],
  );
  return (
    <>
      <HttpCompare runs={runs} pair={[1, 2]} onPair={() => undefined} live={null} highlight={highlight} fixedPair />
      <LaneChips
        label={`Connections of run ${side.toUpperCase()} (${result.titles[side === 'a' ? 0 : 1]})`}
        lanes={lanes}
        highlighted={run.highlight.lanes}
      />
    </>
  );
}

function SessionEvidence({ run, session }: { run: LessonRun; session: Session }) {
  const plain = useSessionTimeline(session);
  const model = useMemo(() => (plain ? withHighlightedLanes(plain, new Set(run.highlight.lanes)) : null), [plain, run.highlight.lanes]);
  const lanes = session.connections.map((connection) => ({ id: connection.id, text: connection.label }));
  return (
    <>
      <LabTimeline model={model} label="Connections of the experiment" height={140} />
      <LaneChips label="Connections of the experiment" lanes={lanes} highlighted={run.highlight.lanes} />
    </>
  );
}

function PacketEvidence({ run }: { run: LessonRun }) {
  return (
    <div className="lesson-packets">
      <h4>The packets this lesson is about</h4>
      <table data-testid="lesson-packets">
        <thead>
          <tr>
            <th scope="col">Frame</th>
            <th scope="col">Time</th>
            <th scope="col">Stream</th>
            <th scope="col">TCP flags</th>
            <th scope="col">What it is</th>
          </tr>
        </thead>
        <tbody>
          {run.highlight.packets.map((packet) => (
            <tr key={packet.frame} className="is-highlighted">
              <td>{packet.frame}</td>
              <td>{packet.time.toFixed(3)} s</td>
              <td>{packet.stream ?? '—'}</td>
              <td>
                <code>{tcpFlagNames(packet.tcpFlags) || '—'}</code>
              </td>
              <td>{packetWords(packet)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function closedWords(how: 'fin' | 'rst' | 'error' | 'open' | 'released'): string {
  switch (how) {
    case 'fin':
      return 'closed with FIN';
    case 'rst':
      return 'closed with RST';
    case 'error':
      return 'failed';
    case 'open':
      return 'still open at the end';
    case 'released':
      return 'closed when the run ended';
  }
}
