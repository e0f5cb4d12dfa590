/**
 * Opening a capture never writes beside it (issue 9, files): a public capture is copied into a
 * read-only temp folder and opened through the service (the door the UI uses); the folder's
 * listing, sizes, modification times and the capture's bytes are unchanged afterwards. The test
 * compares listings rather than relying on the mode bits, which root ignores.
 */
import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type Service } from '@engine/service';

const PUBLIC_CAPTURES = path.resolve(__dirname, '../../../shared/captures/public');
const CAPTURES = ['packets__tcp_retransmissions.pcapng', 'zeek__http-te_cl_desync.pcap'];

async function listing(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).sort();
  return Promise.all(
    names.map(async (name) => {
      const info = await stat(path.join(dir, name));
      const digest = createHash('sha256')
        .update(await readFile(path.join(dir, name)))
        .digest('hex');
      return `${name} ${info.size} ${info.mtimeMs} ${(info.mode & 0o777).toString(8)} ${digest}`;
    }),
  );
}

describe('opening a capture', () => {
  let dir: string;
  let dataDir: string;
  let service: Service;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kl-readonly-'));
    dataDir = await mkdtemp(path.join(tmpdir(), 'kl-data-'));
    for (const name of CAPTURES) {
      await copyFile(path.join(PUBLIC_CAPTURES, name), path.join(dir, name));
      await chmod(path.join(dir, name), 0o444);
    }
    await chmod(dir, 0o555);
    service = createService({ mode: 'electron', dataDir });
  });
  afterAll(async () => {
    await service.dispose();
    await chmod(dir, 0o755);
    await rm(dir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  it.each(CAPTURES)('%s: open, list streams and packets, close — the folder is unchanged', async (name) => {
    const before = await listing(dir);
    const opened = await service.call('capture.open', { path: path.join(dir, name) });
    expect(opened.ok, JSON.stringify(opened)).toBe(true);
    const captureId = (opened as { ok: true; value: { captureId: string } }).value.captureId;
    expect((await service.call('capture.streams', { captureId })).ok).toBe(true);
    expect((await service.call('capture.close', { captureId })).ok).toBe(true);
    expect(await listing(dir)).toEqual(before);
  });
});
