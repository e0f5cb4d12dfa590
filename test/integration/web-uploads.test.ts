import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { httpRequest, openPage, startTestServer } from './helpers/web-client';

describe('web-mode uploads', () => {
  it('stores an upload for its page, private to this user, opens it by handle only, and deletes it when the page goes', async () => {
    const server = await startTestServer();
    const capture = await readFile(new URL('../../../shared/captures/public/ndpi__ocsp.pcapng', import.meta.url));
    const client = await openPage(server);

    const refused = await fetch(`${server.origin}/upload?name=x.pcap&page=${client.page}`, {
      method: 'POST',
      body: capture,
      headers: { Origin: server.origin },
    });
    expect(refused.status).toBe(401);
    const noPage = await httpRequest(server.web.port, `/t/${server.web.token}/upload?name=x.pcap&page=nope`, {
      method: 'POST',
      body: capture,
      headers: { 'Content-Length': capture.length },
    });
    expect(noPage.status).toBe(409);

    const response = await fetch(`${server.origin}/t/${server.web.token}/upload?page=${client.page}&name=../../ocsp.pcapng`, {
      method: 'POST',
      body: capture,
      headers: { Origin: server.origin },
    });
    expect(response.status).toBe(200);
    const { path: handle, bytes } = (await response.json()) as { path: string; bytes: number };
    expect(bytes).toBe(capture.length);
    expect(handle).toMatch(/^file-handle:[\w-]{24}$/);
    const [stored] = [...server.web.pages.get(client.page)!.uploads.keys()];
    // a hostile name cannot leave the upload folder: slashes become underscores
    expect(dirname(stored!)).toBe(server.uploadDir);
    expect((await stat(stored!)).mode & 0o777).toBe(0o600);
    expect((await stat(server.uploadDir)).mode & 0o777).toBe(0o700);

    const opened = await client.call('capture.open', { path: handle });
    expect(opened).toMatchObject({ ok: true, value: { packets: 344 } });
    // the page may open its upload again; the real path is refused
    expect(await client.call('capture.open', { path: handle })).toMatchObject({ ok: true });
    expect(await client.call('capture.open', { path: stored })).toMatchObject({ ok: false, error: { code: 'path-refused' } });
    // another page cannot use this page's handle
    const other = await openPage(server);
    expect(await other.call('capture.open', { path: handle })).toMatchObject({ ok: false, error: { code: 'unknown-file' } });
    await other.close();

    await client.close();
    await expect.poll(() => existsSync(stored!), { timeout: 5000 }).toBe(false);
    await server.stop();
  });
});
