/**
 * The Captures view: open a pcap/pcapng or a HAR (button, menu, drag-and-drop), watch the
 * import with Cancel, then explore it. Bad input is a message in place.
 */
import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import { useMenuCommand } from '@renderer/app/menu-commands';
import { HarWorkspace } from '../har/HarWorkspace';
import { CaptureWorkspace } from './CaptureWorkspace';
import { exampleFromHash, ExampleList, HarExampleList, harExampleFromHash } from './ExampleList';
import { ImportBar } from './ImportBar';
import { useCaptureImport } from './use-capture-import';
import './capture.css';

export function CaptureView() {
  const capture = useCaptureImport();
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const { chooseNative, openExample, openHarExample } = capture;

  // a lesson links to `#captures/example/<id>` or `#captures/har-example/<id>`: open that example once on arrival
  useEffect(() => {
    const exampleId = exampleFromHash(window.location.hash);
    const harExampleId = harExampleFromHash(window.location.hash);
    if (exampleId === null && harExampleId === null) return;
    window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}#captures`);
    if (exampleId !== null) void openExample(exampleId, `${exampleId}.pcap`);
    else if (harExampleId !== null) void openHarExample(harExampleId);
  }, [openExample, openHarExample]);

  // the native menu's "Open capture…" (also when it brought this view up) opens the picker here
  const openFromMenu = useCallback(() => {
    if (chooseNative) chooseNative();
    else fileInput.current?.click();
  }, [chooseNative]);
  useMenuCommand('open-capture', openFromMenu);

  const onDrop = (event: DragEvent<HTMLElement>) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) void capture.openFile(file);
  };

  const { state } = capture;
  const busy = state.phase === 'uploading' || state.phase === 'analysing';
  const examples = <ExampleList disabled={busy} onOpen={(id, name) => void openExample(id, name)} />;
  const opened = state.phase === 'ready' ? state.capture : null;
  return (
    <section
      className={dragging ? 'capture-view is-dragging' : 'capture-view'}
      aria-labelledby="capture-title"
      onDragOver={(event) => {
        if (!event.dataTransfer.types.includes('Files')) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <div className="card capture-head">
        <h2 id="capture-title">Captures</h2>
        <ImportBar
          state={state}
          onChooseNative={chooseNative}
          onFile={(file) => void capture.openFile(file)}
          onCancel={capture.cancel}
          inputRef={fileInput}
        />
      </div>
      {opened?.kind === 'har' ? (
        <HarWorkspace key={opened.har.session.id} har={opened.har} />
      ) : opened?.kind === 'capture' ? (
        <>
          <CaptureWorkspace key={opened.capture.captureId} client={capture.client} overview={opened.capture} />
          <details className="card capture-examples">
            <summary>Example captures</summary>
            {examples}
          </details>
        </>
      ) : state.phase === 'idle' || state.phase === 'failed' || state.phase === 'cancelled' ? (
        <div className="card capture-empty">
          <p>
            Open a tcpdump or Wireshark capture to see its TCP streams, the keep-alive probes and their ACKs on a timeline, and why each
            packet was flagged — the same verdicts as Wireshark, with the reasons.
          </p>
          <p>
            Or open a browser&apos;s HAR file (DevTools → Network → &quot;Save all as HAR&quot;) to see which connections the page load
            reused, which it opened, and why.
          </p>
          <p className="muted">Nothing leaves this machine: the file is read by the local engine.</p>
          <h3>Or open an example</h3>
          <p className="muted">Small captures the lab recorded of its own traffic on this machine's loopback, one click each:</p>
          {examples}
          <p className="muted example-list-intro">And a page load the project recorded in Chromium from a local server, saved as HAR:</p>
          <HarExampleList disabled={busy} onOpen={(id) => void openHarExample(id)} />
        </div>
      ) : null}
      {dragging ? (
        <div className="drop-overlay" aria-hidden="true">
          Drop the capture to open it
        </div>
      ) : null}
    </section>
  );
}
