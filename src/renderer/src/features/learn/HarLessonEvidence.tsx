/**
 * What a HAR lesson showed: the page load's connections on the timeline (the lanes the lesson is
 * about highlighted), each one's requests and why the browser opened it, and a link that opens the
 * same bundled HAR on the Captures page.
 */
import { useMemo } from 'react';
import type { HarConnection, HarImport } from '@shared/api-har';
import type { LessonRun } from '@shared/api-learn';
import { HAR_CAUSE_WORDS, type HarCause } from '@shared/har-cause';
import { LabTimeline, useSessionTimeline } from '../lab/LabTimeline';
import { withHighlightedLanes } from '../timeline/timeline-model';
import { LaneChips } from './LaneChips';

type HarResult = Extract<NonNullable<LessonRun['result']>, { kind: 'har-example' }>;

export function HarLessonEvidence({ run, result }: { run: LessonRun; result: HarResult }) {
  const { har } = result;
  const plain = useSessionTimeline(har.session);
  const model = useMemo(() => (plain ? withHighlightedLanes(plain, new Set(run.highlight.lanes)) : null), [plain, run.highlight.lanes]);
  const lanes = har.connections.map((connection) => ({ id: connection.id, text: connectionWords(har, connection) }));
  const causes = [...new Set(har.connections.flatMap((connection) => (connection.cause ? [connection.cause] : [])))];
  return (
    <>
      <LabTimeline model={model} label={`Connections of ${har.file}`} height={160} probes={false} />
      <LaneChips label={`Connections of ${har.file}, by the browser's socket id`} lanes={lanes} highlighted={run.highlight.lanes} />
      <CauseMeanings causes={causes} />
      <p>
        <a href={`#captures/har-example/${result.exampleId}`}>Open this HAR on the Captures page</a> to see every request&apos;s timings and
        why its connection was opened.
      </p>
    </>
  );
}

function CauseMeanings({ causes }: { causes: HarCause[] }) {
  if (causes.length === 0) return null;
  return (
    <dl className="lesson-causes" data-testid="lesson-causes">
      {causes.map((cause) => (
        <div key={cause}>
          <dt>{HAR_CAUSE_WORDS[cause].label}</dt>
          <dd>{HAR_CAUSE_WORDS[cause].meaning}</dd>
        </div>
      ))}
    </dl>
  );
}

/** "3 requests, opened for #2: all busy, 1 queued for it" — entries by their number in the file, as the Captures page lists them. */
function connectionWords(har: HarImport, connection: HarConnection): string {
  const requests = `${connection.requests} ${connection.requests === 1 ? 'request' : 'requests'}`;
  const opened =
    connection.openedBy === null
      ? 'set up before the first request it carried'
      : `opened for #${connection.openedBy}${connection.cause ? `: ${HAR_CAUSE_WORDS[connection.cause].label}` : ''}`;
  const queued = har.requests.filter((request) => request.connection === connection.id && request.waitedForPool !== null).length;
  return [requests, opened, ...(queued > 0 ? [`${queued} queued for it`] : [])].join(', ');
}
