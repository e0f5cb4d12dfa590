/** What a file on disk holds, by its first bytes (src/shared/file-kind.ts decides). */
import { open } from 'node:fs/promises';
import type { FileKind } from '@shared/api-har';
import { detectKind, SNIFF_BYTES } from '@shared/file-kind';

export { detectKind };

export async function detectFileKind(path: string): Promise<FileKind> {
  const file = await open(path, 'r');
  try {
    const head = new Uint8Array(SNIFF_BYTES);
    const { bytesRead } = await file.read(head, 0, SNIFF_BYTES, 0);
    return detectKind(head.subarray(0, bytesRead));
  } finally {
    await file.close();
  }
}
