/**
 * What an HTTP/2 lesson showed: when the lesson compares, the HTTP/1.1 run of the same requests
 * beside the HTTP/2 run in the Lab's Compare view (each in its own protocol's words); else the
 * HTTP/2 run's connections on the timeline. Then the connections as chips, the lanes the lesson is
 * about highlighted and each described in HTTP/2 words: streams, PINGs and GOAWAY.
 */
import { useMemo } from 'react';
import type { Http2ConnectionResult } from '@shared/api-http2';
import type { LessonRun } from '@shared/api-learn';
import type { RunRecord } from '../lab/compare-model';
import { HttpCompare } from '../lab/HttpCompare';
import { LabTimeline, useSessionTimeline } from '../lab/LabTimeline';
import { withHighlightedLanes } from '../timeline/timeline-model';
import { LaneChips } from './LaneChips';

type Http2Result = Extract<NonNullable<LessonRun['result']>, { kind: 'http2' }>;

export function Http2LessonEvidence({ run, result }: { run: LessonRun; result: Http2Result }) {
  const plain = useSessionTimeline(result.h1 ? null : result.h2.session);
  const h2Model = useMemo(() => (plain ? withHighlightedLanes(plain, new Set(run.highlight.lanes)) : null), [plain, run.highlight.lanes]);
  const h1Title = result.titles.h1;
  const h2Label = `Connections of ${h1Title ? `run B (${result.titles.h2})` : result.titles.h2}`;
  // run A is the HTTP/1.1 run, run B the HTTP/2 one: the lesson's lanes are B's
  const runs = useMemo<RunRecord[]>(
    () =>
      result.h1
        ? [
            { number: 1, title: result.titles.h1 ?? 'HTTP/1.1', protocol: 'http1', result: result.h1 },
            { number: 2, title: result.titles.h2, protocol: 'http2', result: result.h2 },
          ]
        : [],
    [result],
  );
  const highlight = useMemo(() => ({ side: 'b' as const, lanes: new Set(run.highlight.lanes) }), [run.highlight.lanes]);
  return (
    <>
      {result.h1 && h1Title ? (
        <>
          <HttpCompare runs={runs} pair={[1, 2]} onPair={() => undefined} live={null} highlight={highlight} fixedPair />
          <LaneChips
            label={`Connections of run A (${h1Title})`}
            lanes={result.h1.connections.map((connection) => ({
              id: connection.id,
              text: `${connection.requests} ${connection.requests === 1 ? 'request' : 'requests'}, one at a time`,
            }))}
            highlighted={[]}
          />
        </>
      ) : null}
      {result.h1 ? null : <LabTimeline model={h2Model} label={h2Label} height={140} protocol="http2" />}
      <LaneChips
        label={h2Label}
        lanes={result.h2.connections.map((connection) => ({ id: connection.id, text: http2ConnectionWords(connection) }))}
        highlighted={run.highlight.lanes}
      />
    </>
  );
}

/** "20 streams, up to 10 at once · TLS 1.3, resumed · 3 PINGs · ended by GOAWAY ENHANCE_YOUR_CALM “too_many_pings”, last stream 3" */
function http2ConnectionWords(connection: Http2ConnectionResult): string {
  const atOnce = connection.maxConcurrent > 1 ? `up to ${connection.maxConcurrent} at once` : 'one at a time';
  const streams = `${connection.requests} ${connection.requests === 1 ? 'stream' : 'streams'}, ${atOnce}`;
  const tls = connection.tls ? `${connection.tls.version ?? 'TLS'}${connection.tls.resumed ? ', resumed' : ''}` : 'h2c';
  const pings = connection.pings.length > 0 ? [`${connection.pings.length} ${connection.pings.length === 1 ? 'PING' : 'PINGs'}`] : [];
  const { goaway } = connection;
  const ended = goaway
    ? [`ended by GOAWAY ${goaway.error}${goaway.debug ? ` “${goaway.debug}”` : ''}, last stream ${goaway.lastStreamId}`]
    : [];
  return [streams, tls, ...pings, ...ended].join(' · ');
}
