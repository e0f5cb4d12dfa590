import { describe, expect, it } from 'vitest';
import { foldProgress, isBusy, reduceImport, type ImportAction, type ImportState } from '@renderer/features/capture/import-state';

type State = ImportState<{ packets: number }>;
const run = (actions: ImportAction<{ packets: number }>[]): State => actions.reduce<State>(reduceImport, { phase: 'idle' });

describe('capture import state', () => {
  it('goes upload → analysis → ready, with bytes and packets along the way', () => {
    const uploading = run([
      { kind: 'upload-started', name: 'a.pcap', bytesTotal: 1000 },
      { kind: 'upload-progressed', loaded: 400, total: 1000 },
    ]);
    expect(uploading).toMatchObject({ phase: 'uploading', progress: { bytesDone: 400, bytesTotal: 1000 } });
    expect(isBusy(uploading)).toBe(true);
    const analysing = [
      { kind: 'analysis-started', name: 'a.pcap', jobId: 'j1', bytesTotal: 1000 },
      { kind: 'analysis-progressed', jobId: 'j1', done: 500, total: 1000, unit: 'bytes', note: '1,234 packets' },
      { kind: 'analysis-progressed', jobId: 'other', done: 999, total: 1000, unit: 'bytes' },
    ] as const;
    const during = analysing.reduce<State>(reduceImport, uploading);
    expect(during).toMatchObject({ phase: 'analysing', progress: { bytesDone: 500, bytesTotal: 1000, packets: 1234 } });
    const ready = reduceImport(during, { kind: 'analysis-finished', jobId: 'j1', capture: { packets: 2000 } });
    expect(ready).toEqual({ phase: 'ready', name: 'a.pcap', capture: { packets: 2000 } });
    expect(isBusy(ready)).toBe(false);
  });

  it('ignores a late result of another job and keeps the name on failure or cancel', () => {
    const analysing = run([{ kind: 'analysis-started', name: 'b.pcapng', jobId: 'j2', bytesTotal: null }]);
    expect(reduceImport(analysing, { kind: 'analysis-finished', jobId: 'j1', capture: { packets: 1 } })).toBe(analysing);
    expect(reduceImport(analysing, { kind: 'import-failed', message: 'not a pcap or pcapng capture' })).toEqual({
      phase: 'failed',
      name: 'b.pcapng',
      message: 'not a pcap or pcapng capture',
    });
    expect(reduceImport(analysing, { kind: 'import-cancelled' })).toEqual({ phase: 'cancelled', name: 'b.pcapng' });
  });

  it('reads packet counts from a packets unit as well as from the note', () => {
    const start = { bytesDone: 0, bytesTotal: null, packets: null };
    expect(foldProgress(start, { done: 77, total: null, unit: 'packets' })).toMatchObject({ packets: 77, bytesDone: 0 });
    expect(foldProgress(start, { done: 10, total: 20, unit: 'bytes' })).toMatchObject({ bytesDone: 10, bytesTotal: 20, packets: null });
  });
});
