/**
 * The life of one capture import, as the view shows it: picking → uploading (web
 * mode) → analysing (bytes and packets) → ready | failed | cancelled. A pure
 * reducer, so every transition is tested without a browser.
 */

export interface ImportProgress {
  /** bytes read (uploaded, then analysed) */
  bytesDone: number;
  /** file size in bytes, null while unknown */
  bytesTotal: number | null;
  /** packets analysed so far, null before the engine reports any */
  packets: number | null;
}

export type ImportState<Ready> =
  | { phase: 'idle' }
  | { phase: 'uploading'; name: string; progress: ImportProgress }
  | { phase: 'analysing'; name: string; jobId: string; progress: ImportProgress }
  | { phase: 'ready'; name: string; capture: Ready }
  | { phase: 'failed'; name: string; message: string }
  | { phase: 'cancelled'; name: string };

export type ImportAction<Ready> =
  | { kind: 'upload-started'; name: string; bytesTotal: number }
  | { kind: 'upload-progressed'; loaded: number; total: number }
  | { kind: 'analysis-started'; name: string; jobId: string; bytesTotal: number | null }
  | { kind: 'analysis-progressed'; jobId: string; done: number; total: number | null; unit: string; note?: string }
  | { kind: 'analysis-finished'; jobId: string; capture: Ready }
  | { kind: 'import-failed'; message: string }
  | { kind: 'import-cancelled' }
  | { kind: 'reset' };

export function reduceImport<Ready>(state: ImportState<Ready>, action: ImportAction<Ready>): ImportState<Ready> {
  switch (action.kind) {
    case 'upload-started':
      return { phase: 'uploading', name: action.name, progress: { bytesDone: 0, bytesTotal: action.bytesTotal, packets: null } };
    case 'upload-progressed':
      if (state.phase !== 'uploading') return state;
      return { ...state, progress: { ...state.progress, bytesDone: action.loaded, bytesTotal: action.total || state.progress.bytesTotal } };
    case 'analysis-started':
      return {
        phase: 'analysing',
        name: action.name,
        jobId: action.jobId,
        progress: { bytesDone: 0, bytesTotal: action.bytesTotal, packets: null },
      };
    case 'analysis-progressed':
      if (state.phase !== 'analysing' || state.jobId !== action.jobId) return state;
      return { ...state, progress: foldProgress(state.progress, action) };
    case 'analysis-finished':
      if (state.phase !== 'analysing' || state.jobId !== action.jobId) return state;
      return { phase: 'ready', name: state.name, capture: action.capture };
    case 'import-failed':
      return { phase: 'failed', name: nameOf(state), message: action.message };
    case 'import-cancelled':
      return { phase: 'cancelled', name: nameOf(state) };
    case 'reset':
      return { phase: 'idle' };
    default: {
      const never: never = action;
      return never;
    }
  }
}

/**
 * Progress events carry one figure and its unit: bytes (with the file size) or
 * packets. A note like "12345 packets" also gives the packet count.
 */
export function foldProgress(
  progress: ImportProgress,
  event: { done: number; total: number | null; unit: string; note?: string },
): ImportProgress {
  const next = { ...progress };
  if (/^bytes?$/i.test(event.unit)) {
    next.bytesDone = event.done;
    if (event.total !== null) next.bytesTotal = event.total;
  } else if (/^(packets?|frames?|records?)$/i.test(event.unit)) {
    next.packets = event.done;
  }
  const packetsInNote = /([\d,]+)\s*(packets?|frames?|records?)/i.exec(event.note ?? '');
  if (packetsInNote?.[1]) next.packets = Number(packetsInNote[1].replaceAll(',', ''));
  return next;
}

function nameOf(state: ImportState<unknown>): string {
  return state.phase === 'idle' ? '' : state.name;
}

/** True while something is running that Cancel can stop. */
export function isBusy(state: ImportState<unknown>): state is Extract<ImportState<unknown>, { phase: 'uploading' | 'analysing' }> {
  return state.phase === 'uploading' || state.phase === 'analysing';
}
