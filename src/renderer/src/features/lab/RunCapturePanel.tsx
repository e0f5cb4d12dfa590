/** The live capture's account of a run (see run-capture-view.ts), shown under the explanations. */
import type { RunCapture } from '@shared/api-correlate';
import { captureView } from './run-capture-view';

export function RunCapturePanel({ capture }: { capture: RunCapture }) {
  const view = captureView(capture);
  return (
    <article
      className={view.status === 'captured' ? 'explanation capture-summary' : 'explanation capture-summary capture-unavailable'}
      aria-label="Packet capture"
      data-testid="capture-summary"
    >
      <h4>On the wire (tcpdump)</h4>
      <p>
        <b>{view.headline}</b>
      </p>
      {view.details.map((line) => (
        <p key={line} className="muted">
          {line}
        </p>
      ))}
      {view.status === 'captured' && view.encrypted ? (
        <div className="capture-encrypted" data-testid="capture-encrypted">
          <p>{view.encrypted.headline}</p>
          <p className="muted">{view.encrypted.detail}</p>
        </div>
      ) : null}
      {view.status === 'captured' && view.findings.length > 0 ? (
        <ul className="run-notes">
          {view.findings.map((finding) => (
            <li key={finding}>{finding}</li>
          ))}
        </ul>
      ) : null}
    </article>
  );
}
