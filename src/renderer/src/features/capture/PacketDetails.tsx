/**
 * The selected packet: its decoded fields and, when annotated, why — one
 * explanation per annotation with the rule and the values compared; for a packet
 * that only looks like a probe, the rule that failed.
 */
import { ExplanationPanel, NearMissPanel } from '../explain/ExplanationPanel';
import type { PacketListRow, StreamRow } from './capture-model';
import { annotationKind } from './annotation-kinds';
import { explanationsForPacket, explanationsForStream } from './explain-values';
import { formatRelativeTime } from './format';

export function PacketDetails({ packet, stream }: { packet: PacketListRow | null; stream: StreamRow | null }) {
  if (!packet) {
    return (
      <section className="card packet-details" aria-labelledby="packet-details-title" data-testid="packet-details">
        <h2 id="packet-details-title">{stream ? `Stream ${stream.stream}` : 'Packet'}</h2>
        {stream
          ? explanationsForStream(stream).map((entry) => (
              <ExplanationPanel key={entry.kind} kind={entry.kind} values={entry.values} accentVar="--reused" />
            ))
          : null}
        <p className="muted">
          Select a packet in the list (↑/↓ then Enter) or a mark on the timeline to see its fields and why it was flagged.
        </p>
      </section>
    );
  }
  const explanations = explanationsForPacket(packet);
  const fields: Array<[string, string]> = [
    ['Time', `${formatRelativeTime(packet.timeS)} s`],
    ['Stream', packet.stream === null ? '— (not TCP)' : String(packet.stream)],
    ['Endpoints', packet.endpoints],
    ['TCP flags', packet.tcpFlags || '—'],
    ['Payload', `${packet.payload} B`],
    ['Annotations', packet.flags.length ? packet.flags.map((flag) => annotationKind(flag).label).join(', ') : 'none'],
  ];
  return (
    <section className="card packet-details" aria-labelledby="packet-details-title" data-testid="packet-details">
      <h2 id="packet-details-title">Frame {packet.frame}</h2>
      {explanations.map((entry) => (
        <ExplanationPanel
          key={entry.kind}
          kind={entry.kind}
          values={entry.values}
          engineReason={entry.engineReason}
          accentVar={entry.colorVar}
        />
      ))}
      {packet.nearMiss ? <NearMissPanel title={packet.nearMiss.title} failedRule={packet.nearMiss.text} /> : null}
      <dl className="facts packet-fields" aria-label="Decoded fields">
        {fields.map(([name, value]) => (
          <div key={name} className="packet-field">
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
