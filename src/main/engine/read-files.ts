/**
 * Opening a file the caller named, for reading, so that no name can hang or flood the engine:
 * opened non-blocking (a FIFO would otherwise block a libuv thread until a writer comes — four
 * such opens hang every file operation of the process), then checked on the open descriptor
 * (fstat, so the file cannot be swapped after the check) to be a regular file under a size cap
 * (`/dev/zero` read as text grows without end). Errors carry a `code` like Node's own, and say
 * what kind of file it was, never what it holds.
 */
import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

export type FileRefusalCode = 'not-a-file' | 'too-large';

export class FileRefusedError extends Error {
  constructor(
    readonly code: FileRefusalCode,
    message: string,
  ) {
    super(message);
    this.name = 'FileRefusedError';
  }
}

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Opens `path` read-only; refuses anything but a regular file of at most `maxBytes`. The caller closes the handle. */
export async function openRegularFile(path: string, maxBytes: number): Promise<FileHandle> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new FileRefusedError('not-a-file', `${kindOf(info)}, not a regular file: only files are read`);
    if (info.size > maxBytes) throw new FileRefusedError('too-large', `${info.size} bytes, more than the ${maxBytes} bytes read at most`);
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Reads a regular file of at most `maxBytes` as UTF-8, giving up after `timeoutMs` (a hung network mount). */
export async function readTextFile(path: string, maxBytes: number, timeoutMs: number): Promise<string> {
  const handle = await openRegularFile(path, maxBytes);
  try {
    return await handle.readFile({ encoding: 'utf8', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    if ((error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError') {
      throw new Error(`reading took longer than ${timeoutMs / 1000} s: given up`, { cause: error });
    }
    throw error;
  } finally {
    await handle.close();
  }
}
