import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readCaptureFile } from '@engine/capture/read-capture';
import { CaptureFormatError, NOT_A_CAPTURE_MESSAGE } from '@engine/capture/read-common';
import { IPV4_TCP, pcapFile } from './capture-bytes';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function writeTemporary(name: string, bytes: Uint8Array): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'capture-read-'));
  folders.push(folder);
  const file = path.join(folder, name);
  writeFileSync(file, bytes);
  return file;
}

const manyRecords = pcapFile(
  { linkType: 101 },
  Array.from({ length: 500 }, (_, index) => ({ seconds: index, fraction: 0, data: IPV4_TCP })),
);

describe('readCaptureFile', () => {
  it('reads in chunks and reports progress in bytes and records up to the file size', async () => {
    const file = writeTemporary('x.bin', manyRecords);
    const progress: { bytesRead: number; records: number }[] = [];
    let frames = 0;
    const summary = await readCaptureFile(file, {
      chunkBytes: 1000,
      onRecord: () => (frames += 1),
      onProgress: (step) => progress.push(step),
    });
    expect(summary.records).toBe(500);
    expect(frames).toBe(500);
    expect(progress.length).toBe(Math.ceil(manyRecords.length / 1000));
    expect(progress.at(-1)).toEqual({ bytesRead: manyRecords.length, totalBytes: manyRecords.length, records: 500 });
    expect(progress.map((step) => step.records)).toEqual([...progress.map((step) => step.records)].sort((a, b) => a - b));
  });

  it('stops when its signal is aborted', async () => {
    const file = writeTemporary('y.pcap', manyRecords);
    const controller = new AbortController();
    const read = readCaptureFile(file, {
      chunkBytes: 512,
      signal: controller.signal,
      onRecord: () => undefined,
      onProgress: (step) => {
        if (step.records > 10) controller.abort(new Error('cancelled by test'));
      },
    });
    await expect(read).rejects.toThrow('cancelled by test');
  });

  it('fails clearly on an empty file and on a file that is not a capture', async () => {
    await expect(readCaptureFile(writeTemporary('empty.pcap', new Uint8Array(0)), { onRecord: () => undefined })).rejects.toBeInstanceOf(
      CaptureFormatError,
    );
    await expect(
      readCaptureFile(writeTemporary('text.pcap', new TextEncoder().encode('hello, world\n')), { onRecord: () => undefined }),
    ).rejects.toThrow(NOT_A_CAPTURE_MESSAGE);
  });
});
