/** "A silent peer would be noticed after 4 s", with the formula and its values: wherever keepalive settings are shown. */
import { dataOutstandingSentence, formatDetection, type DeadPeerDetection } from '@shared/dead-peer';

export function DeadPeerNote({ detection, subject }: { detection: DeadPeerDetection; subject: string }) {
  return (
    <p className="dead-peer-note" data-testid="dead-peer">
      {subject}, a peer that vanished without a word would be noticed after <b>{formatDetection(detection.ms)}</b>
      <span className="muted">
        : {detection.formula}. {dataOutstandingSentence(detection)}
      </span>
    </p>
  );
}
