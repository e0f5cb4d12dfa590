/**
 * Opening a capture or a HAR: get a handle for it (native dialog or dropped file in the desktop app,
 * upload in the web mode; the engine takes no plain path from the page), learn what the file holds
 * (its first bytes, read by the page or by the engine), start the matching import as a job, fold its
 * progress events in, and cancel either step. Returns the import state for `ImportBar` and the result.
 */
import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import type { ApiResult } from '@shared/api';
import { useApi } from '@renderer/api/api-context';
import { pathForFile } from '@renderer/api/files';
import { newJobId } from '@renderer/api/use-engine-events';
import type { FileKind, HarImport } from '@shared/api-har';
import { detectKind, SNIFF_BYTES } from '@shared/file-kind';
import type { CaptureOverview } from './capture-model';
import { createCaptureClient, withoutPath, type CaptureClient } from './capture-client';
import { reduceImport, type ImportState } from './import-state';

/** What an import opened: a capture (pcap/pcapng) or a browser's HAR, decided by the engine from the first bytes. */
export type OpenedFile = { kind: 'capture'; capture: CaptureOverview } | { kind: 'har'; har: HarImport };

export interface CaptureImport {
  state: ImportState<OpenedFile>;
  client: CaptureClient;
  /**
   * `path`: what the engine opens it by (a handle); `name`: the file's name as the user chose it, for the title;
   * `kind`: what the file holds when the page already read its first bytes; otherwise the engine looks
   */
  openPath(path: string, name: string, bytes: number | null, kind?: FileKind): Promise<void>;
  openFile(file: File): Promise<void>;
  /** a bundled example capture, by id */
  openExample(exampleId: string, title: string): Promise<void>;
  /** a bundled example HAR (src/shared/example-hars.ts), by id */
  openHarExample(exampleId: string): Promise<void>;
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

  /** runs one engine import as a job: a capture file, a HAR file, or an example by id */
  const runImport = useCallback(
    async (name: string, bytes: number | null, start: (jobId: string) => Promise<ApiResult<CaptureOverview>>) => {
      const id = newJobId('capture');
      jobId.current = id;
      dispatch({ kind: 'analysis-started', name, jobId: id, bytesTotal: bytes });
      const result = await start(id);
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
    [client],
  );

  /** runs one engine HAR import as a job: a file (named by a handle, `path`) or an example by id */
  const runHarImport = useCallback(
    async (name: string, bytes: number | null, start: (jobId: string) => Promise<ApiResult<HarImport>>, path: string | null) => {
      const id = newJobId('capture');
      jobId.current = id;
      dispatch({ kind: 'analysis-started', name, jobId: id, bytesTotal: bytes });
      const har = await start(id);
      if (jobId.current !== id) return;
      jobId.current = null;
      if (har.ok) dispatch({ kind: 'analysis-finished', jobId: id, capture: { kind: 'har', har: { ...har.value, file: name } } });
      else dispatch({ kind: 'import-failed', message: path === null ? har.error.message : withoutPath(har.error.message, path) });
    },
    [],
  );

  const openPath = useCallback(
    async (path: string, name: string, bytes: number | null, kind?: FileKind) => {
      // file.detect reads the first bytes without using the (one-time) handle up
      const detected = kind ?? (await api.call('file.detect', { path }).then((result) => (result.ok ? result.value.kind : 'unknown')));
      if (detected !== 'har') return runImport(name, bytes, (id) => client.open(path, name, id));
      return runHarImport(name, bytes, (id) => api.call('har.open', { path, jobId: id }), path);
    },
    [api, client, runImport, runHarImport],
  );

  const openHarExample = useCallback(
    (exampleId: string) => runHarImport(`${exampleId}.har`, null, (id) => api.call('har.openExample', { exampleId, jobId: id }), null),
    [api, runHarImport],
  );

  const openExample = useCallback(
    (exampleId: string, title: string) => runImport(title, null, (id) => client.openExample(exampleId, title, id)),
    [client, runImport],
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
    // a one-time handle, and the name of the file the user chose (the title and the report say that, not the handle)
    const { path, name } = chosen.value;
    if (path) await openPath(path, name ?? 'capture', null);
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

  return { state, client, openPath, openFile, openExample, openHarExample, chooseNative: nativeChooser, cancel };
}
