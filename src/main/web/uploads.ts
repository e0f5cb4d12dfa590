/**
 * Captures a web page uploads: streamed to a new private file (0600, created exclusively without
 * following a link) in the engine's private upload folder, owned by the page that sent them
 * (deleted when it goes) and bounded — one file, all files held at once, uploads at once. The page
 * gets an opaque handle to open the file with, never a path it could swap for another.
 */
import { randomUUID } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createPrivateWriteStream, ensurePrivateFolder, PrivateFolderError } from '../engine/private-files';
import type { ServiceScope } from '../engine/service';

export interface UploadLimits {
  /** largest capture one upload may be, bytes (a 3 M-packet capture is ~300 MB) */
  maxFileBytes: number;
  /** bytes all pages' uploads may hold on disk at once */
  maxStoredBytes: number;
  /** uploads streaming at once */
  maxConcurrent: number;
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = { maxFileBytes: 4 * 1024 ** 3, maxStoredBytes: 8 * 1024 ** 3, maxConcurrent: 4 };

/** The part of a web page an upload belongs to. */
export interface UploadOwner {
  readonly scope: ServiceScope;
  /** false once the page has gone: a late upload is deleted, not kept */
  readonly open: boolean;
  /** files of this page, deleted when it goes */
  readonly uploads: Map<string, number>;
}

type Reply = (status: number, text: string) => void;

export class UploadStore {
  private storedBytes = 0;
  private streaming = 0;

  constructor(
    private readonly folder: string,
    private readonly limits: UploadLimits,
  ) {}

  /** Streams one upload to disk for `owner`; every failure is answered, none escapes (the caller need not catch). */
  async receive(req: IncomingMessage, res: ServerResponse, owner: UploadOwner, name: string, reply: Reply): Promise<void> {
    const refusal = this.refusal(Number(req.headers['content-length'] ?? Number.NaN));
    if (refusal) {
      req.resume();
      return reply(refusal.status, refusal.message);
    }
    this.streaming += 1;
    const safeName = name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80) || 'capture';
    const path = join(this.folder, `${randomUUID()}-${safeName}`);
    let received = 0;
    let created = false;
    try {
      await ensurePrivateFolder(this.folder);
      const file = createPrivateWriteStream(path);
      file.once('open', () => (created = true));
      req.on('data', (chunk: Buffer) => {
        received += chunk.length;
        this.storedBytes += chunk.length;
        const over = this.overLimit(received);
        if (over) req.destroy(new Error(over));
      });
      await pipeline(req, file);
      if (!owner.open) throw new Error('the page that sent it has gone');
      owner.uploads.set(path, received);
      const handle = owner.scope.files.grant(path, 'read', { once: false });
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify({ path: handle, bytes: received, name: safeName }));
    } catch (error) {
      this.storedBytes -= received;
      if (created) await unlink(path).catch(() => undefined);
      if (!res.headersSent) reply(uploadStatus(error), `upload failed: ${(error as Error).message}`);
    } finally {
      this.streaming -= 1;
    }
  }

  /** Deletes a page's uploads (it has gone). */
  async removeAll(owner: UploadOwner): Promise<void> {
    const paths = [...owner.uploads];
    owner.uploads.clear();
    for (const [, bytes] of paths) this.storedBytes -= bytes;
    await Promise.all(paths.map(([path]) => unlink(path).catch(() => undefined)));
  }

  get bytesHeld(): number {
    return this.storedBytes;
  }

  private refusal(declared: number): { status: number; message: string } | null {
    const { maxFileBytes, maxStoredBytes, maxConcurrent } = this.limits;
    if (Number.isFinite(declared) && declared > maxFileBytes)
      return { status: 413, message: `capture too large (max ${maxFileBytes} bytes)` };
    if (this.streaming >= maxConcurrent) {
      const what =
        maxConcurrent === 1
          ? '1 upload is already on its way: wait for it'
          : `${maxConcurrent} uploads are already on their way: wait for one`;
      return { status: 429, message: `${what} to finish` };
    }
    if (Number.isFinite(declared) && this.storedBytes + declared > maxStoredBytes) return { status: 507, message: this.fullMessage() };
    return null;
  }

  private overLimit(received: number): string | null {
    if (received > this.limits.maxFileBytes) return `capture too large (max ${this.limits.maxFileBytes} bytes)`;
    if (this.storedBytes > this.limits.maxStoredBytes) return this.fullMessage();
    return null;
  }

  private fullMessage(): string {
    return `the uploads of the open pages already hold ${this.storedBytes} of ${this.limits.maxStoredBytes} bytes: close a page that has captures open`;
  }
}

function uploadStatus(error: unknown): number {
  if (error instanceof PrivateFolderError) return 500;
  const message = (error as Error).message;
  if (/too large/.test(message)) return 413;
  if (/already hold/.test(message)) return 507;
  if (/has gone/.test(message)) return 409;
  return (error as NodeJS.ErrnoException).code === undefined ? 400 : 500;
}
