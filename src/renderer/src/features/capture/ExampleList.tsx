/**
 * The example captures, one click each: small recordings the lab made of its own loopback traffic
 * (src/shared/example-captures.ts). The engine opens them by id.
 */
import { EXAMPLE_CAPTURES } from '@shared/example-captures';
import { EXAMPLE_HARS } from '@shared/example-hars';
import { InlineText } from '../learn/InlineText';

export function ExampleList({ onOpen, disabled }: { onOpen: (exampleId: string, title: string) => void; disabled: boolean }) {
  return (
    <ul className="example-list" aria-label="Example captures">
      {EXAMPLE_CAPTURES.map((example) => (
        <li key={example.id}>
          <button type="button" className="link-button" disabled={disabled} onClick={() => onOpen(example.id, `${example.id}.pcap`)}>
            {example.title}
          </button>
          <span className="muted">
            {' '}
            — <InlineText text={example.description} />
          </span>
        </li>
      ))}
    </ul>
  );
}

/** The example HAR files (src/shared/example-hars.ts), one click each; the engine opens them by id. */
export function HarExampleList({ onOpen, disabled }: { onOpen: (exampleId: string) => void; disabled: boolean }) {
  return (
    <ul className="example-list" aria-label="Example HAR files">
      {EXAMPLE_HARS.map((example) => (
        <li key={example.id}>
          <button type="button" className="link-button" disabled={disabled} onClick={() => onOpen(example.id)}>
            {example.title}
          </button>
          <span className="muted"> — {example.description}</span>
        </li>
      ))}
    </ul>
  );
}

/** `#captures/example/<id>`: a link (from a lesson) that opens an example on arrival; null for any other address. */
export function exampleFromHash(hash: string): string | null {
  const match = /^#captures\/example\/([a-z0-9-]+)$/.exec(hash);
  return match?.[1] ?? null;
}

/** `#captures/har-example/<id>`: a link (from a lesson) that opens an example HAR on arrival; null for any other address. */
export function harExampleFromHash(hash: string): string | null {
  const match = /^#captures\/har-example\/([a-z0-9-]+)$/.exec(hash);
  return match?.[1] ?? null;
}
