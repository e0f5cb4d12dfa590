/**
 * Opening a capture or a HAR: get a path (native dialog, dropped file, or upload in
 * the web mode), ask the engine what the file holds (by its first bytes), start the
 * matching import as a job, fold its progress events in, and cancel either step.
 * Returns the import state for `ImportBar` and the result.
 */
import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import { useApi } from '../../api/api-context';
import { pathForFile } from '../../api/files';
import { newJobId } from '../../api/use-engine-events';
import type { FileKind, HarImport } from '../../../../shared/api-har';
import { detectKind, SNIFF_BYTES } from '../../../../shared/file-kind';
import type { CaptureOverview } from './capture-model';
import { createCaptureClient, withoutPath, type CaptureClient } from './capture-client';
import { reduceImport, type ImportState } from './import-state';

/** What an import opened: a capture (pcap/pcapng) or a browser's HAR, decided by the engine from the first bytes. */
export type OpenedFile = { kind: 'capture'; capture: CaptureOverview } | { kind: 'har'; har: HarImport };

export interface CaptureImport {
  state: ImportState<OpenedFile>;
  client: CaptureClient;
  /** `kind`: what the file holds when the page already read its first bytes; otherwise the engine looks */
  openPath(path: string, name: string, bytes: number | null, kind?: FileKind): Promise<void>;
  openFile(file: File): Promise<void>;
  /** Electron's native dialog, or null in the web mode (use the file input) */
  chooseNative: (() => void) | null;
  cancel(): void;
}

export function useCaptureImport(): CaptureImport {
  const context = useApi();
  const { api, transport } = context;
  const [state, dispatch] = useReducer(reduceImport<OpenedFile>, { phase: 'idle' });
  const client = useMemo(() => createCaptureClient(api), [api]);
  const upload = useRef<AbortController | null>(null);
  const jobId = useRef<string | null>(null);
  /** the capture on screen, closed when another replaces it */
  const shown = useRef<string | null>(null);

  // progress of the running job, applied as it comes (the reducer ignores other jobs)
  useEffect(
    () =>
      api.onEvent((event) => {
        if (event.kind === 'job-progressed')
          dispatch({
            kind: 'analysis-progressed',
            jobId: event.jobId,
            done: event.done,
            total: event.total,
            unit: event.unit,
            note: event.note,
          });
      }),
    [api],
  );

  const openPath = useCallback(
    async (path: string, name: string, bytes: number | null, kind?: FileKind) => {
      const id = newJobId('capture');
      jobId.current = id;
      dispatch({ kind: 'analysis-started', name, jobId: id, bytesTotal: bytes });
      const detected = kind ?? (await api.call('file.detect', { path }).then((result) => (result.ok ? result.value.kind : 'unknown')));
      if (jobId.current !== id) return;
      if (detected === 'har') {
        const har = await api.call('har.open', { path, jobId: id });
        if (jobId.current !== id) return;
        jobId.current = null;
        if (har.ok) dispatch({ kind: 'analysis-finished', jobId: id, capture: { kind: 'har', har: { ...har.value, file: name } } });
        else dispatch({ kind: 'import-failed', message: withoutPath(har.error.message, path) });
        return;
      }
      const result = await client.open(path, name, id);
      if (jobId.current !== id) return;
      jobId.current = null;
      if (result.ok) {
        // one capture on screen: the engine may free the one it replaces
        if (shown.current) void client.close(shown.current);
        shown.current = result.value.captureId;
        dispatch({ kind: 'analysis-finished', jobId: id, capture: { kind: 'capture', capture: result.value } });
      } else if (result.error.code === 'cancelled') dispatch({ kind: 'import-cancelled' });
      else dispatch({ kind: 'import-failed', message: result.error.message });
    },
    [api, client],
  );

  const openFile = useCallback(
    async (file: File) => {
      // decided here from the file's first bytes, so the engine is asked once, by the right method
      const kind = detectKind(new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer()));
      const controller = new AbortController();
      upload.current = controller;
      dispatch({ kind: 'upload-started', name: file.name, bytesTotal: file.size });
      let path: string;
      try {
        path = await pathForFile(
          context,
          file,
          (progress) => dispatch({ kind: 'upload-progressed', loaded: progress.loaded, total: progress.total }),
          controller.signal,
        );
      } catch (error) {
        if (controller.signal.aborted) dispatch({ kind: 'import-cancelled' });
        else dispatch({ kind: 'import-failed', message: (error as Error).message });
        return;
      } finally {
        upload.current = null;
      }
      await openPath(path, file.name, file.size, kind);
    },
    [context, openPath],
  );

  const chooseNative = useCallback(async () => {
    const chosen = await api.call('file.chooseOpen', { title: 'Open capture', extensions: ['pcap', 'pcapng', 'cap', 'dmp', 'har'] });
    if (!chosen.ok) return dispatch({ kind: 'import-failed', message: chosen.error.message });
    const path = chosen.value.path;
    if (path) await openPath(path, path.split(/[\\/]/).pop() ?? path, null);
  }, [api, openPath]);

  const cancel = useCallback(() => {
    upload.current?.abort();
    const running = jobId.current;
    if (!running) return;
    jobId.current = null;
    dispatch({ kind: 'import-cancelled' });
    void api.call('job.cancel', { jobId: running });
  }, [api]);

  // stable, so listeners that depend on it are not re-subscribed on every render
  const nativeChooser = useMemo(() => (transport === 'electron' ? () => void chooseNative() : null), [transport, chooseNative]);

  return { state, client, openPath, openFile, chooseNative: nativeChooser, cancel };
}
