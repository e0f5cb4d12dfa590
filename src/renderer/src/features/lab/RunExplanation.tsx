/** What happened in a finished HTTP run, in plain words (texts from src/shared/explain.ts), and who closes an idle connection first. */
import type { HttpRunResult } from '@shared/api-http';
import { STATE_WORD } from '@shared/connection-states';
import { explainHttpRun, timerVerdicts } from './http-explain';

/** The engine's reasons start in lower case ("the server closes first…"); as a sentence of their own they need a capital. */
function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function RunExplanation({ result }: { result: HttpRunResult }) {
  const explanations = explainHttpRun(result);
  const verdicts = timerVerdicts(result);
  // connections that held an unread body were busy, never idle: their idle timers had nothing to time until released
  const heldBodies = result.session.events.some((event) => event.kind === 'request-ended' && event.bodyUnread === true);
  return (
    <div className="explanations">
      {explanations.map((explanation) => (
        <ExplanationCard
          key={explanation.kind}
          title={explanation.title}
          whatYouSee={explanation.whatYouSee}
          why={explanation.whyConcluded}
          tryNext={explanation.tryNext}
        />
      ))}
      {verdicts.length > 0 ? (
        <article className="explanation verdict" aria-label="Who closes first" data-testid="timer-verdict">
          <h4>Timers: who closes an idle connection first?</h4>
          {heldBodies ? (
            <p className="muted">
              In this run the connections were {STATE_WORD['body-unread']}, not idle, until the run released them: these timers apply once a
              connection is idle.
            </p>
          ) : null}
          {verdicts.map((verdict) => (
            <p key={verdict.headline + verdict.connections.join()}>
              <span className={`verdict-badge verdict-${verdict.first}`}>{verdict.headline}</span> {sentence(verdict.reason)}{' '}
              <span className="muted">
                ({verdict.connections.length === result.connections.length ? 'all connections' : verdict.connections.join(', ')})
              </span>
            </p>
          ))}
        </article>
      ) : null}
      {result.notes.length > 0 ? (
        // how the lab double-checked itself: for the curious, out of the way of the answer
        <details className="run-details">
          <summary>Details: how the lab checked this run ({result.notes.length})</summary>
          <ul className="run-notes muted" aria-label="Notes from the run">
            {result.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

/** One explanation of a run, as the lab shows it: what you see, why, what to try next (HTTP/1 and HTTP/2 runs alike). */
export function ExplanationCard({ title, whatYouSee, why, tryNext }: { title: string; whatYouSee: string; why: string; tryNext: string }) {
  return (
    <article className="explanation" aria-label={title}>
      <h4>{title}</h4>
      <p>{whatYouSee}</p>
      <p>
        <span className="explanation-label">Why: </span>
        {why}
      </p>
      <p className="muted">
        <span className="explanation-label">Try next: </span>
        {tryNext}
      </p>
    </article>
  );
}
