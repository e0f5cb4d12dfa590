/**
 * "Open capture", the import's progress with Cancel, and what went wrong, in
 * place. The bar keeps its height in every phase so nothing below it jumps.
 */
import { useRef } from 'react';
import { formatBytes, formatCount, percent } from './format';
import type { ImportState } from './import-state';

export interface ImportBarProps {
  state: ImportState<unknown>;
  /** Electron: a native dialog; null = use the browser's file input */
  onChooseNative: (() => void) | null;
  onFile(file: File): void;
  onCancel(): void;
  /** bumped by the menu's "Open capture…" to open the browser picker */
  inputRef?: React.RefObject<HTMLInputElement | null>;
}

export function ImportBar({ state, onChooseNative, onFile, onCancel, inputRef }: ImportBarProps) {
  const ownInput = useRef<HTMLInputElement>(null);
  const input = inputRef ?? ownInput;
  const busy = state.phase === 'uploading' || state.phase === 'analysing';
  return (
    <div className="import-bar">
      <div className="import-actions">
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => (onChooseNative ? onChooseNative() : input.current?.click())}
        >
          Open capture
        </button>
        <input
          ref={input}
          type="file"
          hidden
          accept=".pcap,.pcapng,.cap,.dmp,.har,application/vnd.tcpdump.pcap,application/json"
          aria-label="Capture file"
          data-testid="capture-file-input"
          onChange={(event) => {
            const file = event.currentTarget.files?.[0];
            event.currentTarget.value = '';
            if (file) onFile(file);
          }}
        />
        <span className="import-hint muted">or drop a .pcap / .pcapng / .har file here</span>
      </div>
      <div className="import-status" aria-live="polite">
        <ImportStatus state={state} onCancel={onCancel} />
      </div>
    </div>
  );
}

function ImportStatus({ state, onCancel }: { state: ImportState<unknown>; onCancel(): void }) {
  switch (state.phase) {
    case 'idle':
      return <span className="muted">No capture open.</span>;
    case 'uploading':
    case 'analysing': {
      const { bytesDone, bytesTotal, packets } = state.progress;
      const share = percent(bytesDone, bytesTotal);
      const verb = state.phase === 'uploading' ? 'Uploading' : 'Analysing';
      const label = `${verb} ${state.name}`;
      return (
        <div className="import-progress" data-testid="import-progress">
          <progress aria-label={label} max={100} value={share ?? undefined} />
          <span className="import-figures">
            {verb} <strong>{state.name}</strong>: {formatBytes(bytesDone)}
            {bytesTotal !== null ? ` of ${formatBytes(bytesTotal)}` : ''}
            {packets !== null ? ` · ${formatCount(packets)} packets` : ''}
          </span>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      );
    }
    case 'ready':
      return (
        <span>
          Showing <strong>{state.name}</strong>
        </span>
      );
    case 'failed':
      return (
        <div role="alert" className="error-box import-error" data-testid="capture-error">
          <strong>Cannot open {state.name || 'this file'}:</strong> {state.message}
          <div className="muted import-error-hint">
            Keepalive Lab reads pcap and pcapng files, as written by tcpdump -w, Wireshark or dumpcap, and HAR files saved by a browser's
            DevTools.
          </div>
        </div>
      );
    case 'cancelled':
      return <span className="muted">Import of {state.name} cancelled.</span>;
    default: {
      const never: never = state;
      return never;
    }
  }
}
