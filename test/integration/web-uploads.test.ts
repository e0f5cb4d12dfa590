import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createService } from '../../src/main/service';
import { startWebServer } from '../../src/main/web/server';

describe('web-mode uploads', () => {
  it('stores an upload the engine can open, needs the token, and deletes it when the server closes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kl-upload-'));
    await mkdir(join(dir, 'renderer'));
    await writeFile(join(dir, 'renderer/index.html'), '<!doctype html>');
    const service = createService({ mode: 'web', dataDir: dir });
    const web = await startWebServer({ service, rendererDir: join(dir, 'renderer'), uploadDir: join(dir, 'uploads') });
    const capture = await readFile(join(import.meta.dirname, '../../../shared/captures/public/ndpi__ocsp.pcapng'));
    const origin = `http://127.0.0.1:${web.port}`;

    const refused = await fetch(`${origin}/upload?name=x.pcap`, { method: 'POST', body: capture, headers: { Origin: origin } });
    expect(refused.status).toBe(401);

    const response = await fetch(`${origin}/upload?token=${web.token}&name=../../ocsp.pcapng`, {
      method: 'POST',
      body: capture,
      headers: { Origin: origin },
    });
    expect(response.status).toBe(200);
    const { path, bytes } = (await response.json()) as { path: string; bytes: number };
    expect(bytes).toBe(capture.length);
    // a hostile name cannot leave the upload folder: slashes become underscores
    expect(dirname(path)).toBe(join(dir, 'uploads'));
    const opened = await service.call('capture.open', { path });
    expect(opened).toMatchObject({ ok: true, value: { packets: 344 } });

    await web.close();
    await service.dispose();
    expect(existsSync(path)).toBe(false);
    await rm(dir, { recursive: true, force: true });
  });
});
