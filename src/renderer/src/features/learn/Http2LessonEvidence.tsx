/**
 * What an HTTP/2 lesson showed: the HTTP/1.1 run of the same requests when the lesson compares
 * (its connections), then the HTTP/2 run's connections on the timeline with their streams, PINGs
 * and GOAWAY, the lanes the lesson is about highlighted and each described in HTTP/2 words.
 */
import { useMemo } from 'react';
import type { Http2ConnectionResult } from '@shared/api-http2';
import type { LessonRun } from '@shared/api-learn';
import { LabTimeline, useSessionTimeline } from '../lab/LabTimeline';
import { withHighlightedLanes } from '../timeline/timeline-model';
import { LaneChips } from './LaneChips';

type Http2Result = Extract<NonNullable<LessonRun['result']>, { kind: 'http2' }>;

export function Http2LessonEvidence({ run, result }: { run: LessonRun; result: Http2Result }) {
  const h1Model = useSessionTimeline(result.h1?.session ?? null);
  const plain = useSessionTimeline(result.h2.session);
  const h2Model = useMemo(() => (plain ? withHighlightedLanes(plain, new Set(run.highlight.lanes)) : null), [plain, run.highlight.lanes]);
  const h1Title = result.titles.h1;
  const h2Label = `Connections of ${h1Title ? `run B (${result.titles.h2})` : result.titles.h2}`;
  return (
    <>
      {result.h1 && h1Title ? (
        <>
          <LabTimeline model={h1Model} label={`Connections of run A (${h1Title})`} height={160} />
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
      <LabTimeline model={h2Model} label={h2Label} height={140} />
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
