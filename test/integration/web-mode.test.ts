import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createService, type Service } from '../../src/main/service';
import { startWebServer, type WebServer } from '../../src/main/web/server';

/** A raw GET, so tests control every header (fetch would add or forbid some). */
function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  host = '127.0.0.1',
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, method: 'GET', headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends exactly these request bytes (http.request would refuse or normalise some targets). */
function rawGet(port: number, target: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () =>
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), body: text.split('\r\n\r\n').slice(1).join('') }),
    );
    socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
  });
}

function upload(port: number, token: string, name: string, content: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const path = `/upload?token=${token}&name=${encodeURIComponent(name)}`;
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { Host: `127.0.0.1:${port}`, 'Content-Length': Buffer.byteLength(content) },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(content);
  });
}

function openSocket(url: string, origin: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { Origin: origin } });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function nextMessage(
  ws: WebSocket,
): Promise<{ id: number | null; result: { ok: boolean; value?: unknown; error?: { code: string; message: string } } }> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(data.toString()))));
}

describe('web mode server', () => {
  let dir: string;
  let service: Service;
  let web: WebServer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kl-web-'));
    await mkdir(join(dir, 'renderer/assets'), { recursive: true });
    await writeFile(join(dir, 'renderer/index.html'), '<!doctype html><title>ok</title>');
    await writeFile(join(dir, 'renderer/assets/app.js'), 'console.log(1)');
    await writeFile(join(dir, 'secret.txt'), 'outside the root');
    service = createService({ mode: 'web', dataDir: dir });
    web = await startWebServer({ service, rendererDir: join(dir, 'renderer'), uploadDir: join(dir, 'uploads') });
  });
  afterAll(async () => {
    await web.close();
    await service.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints a loopback URL with a token and listens on 127.0.0.1 only', async () => {
    expect(web.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
    expect(web.server.address()).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (external) {
      await expect(get(web.port, '/?token=' + web.token, {}, external.address)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    }
  });

  it('serves the page with the token and sets a strict cookie for its assets', async () => {
    const page = await get(web.port, `/?token=${web.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>ok</title>');
    expect(String(page.headers['content-security-policy'])).toContain("default-src 'self'");
    const cookie = String(page.headers['set-cookie']);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const asset = await get(web.port, '/assets/app.js', { Cookie: cookie.split(';')[0]! });
    expect(asset.status).toBe(200);
  });

  it('refuses requests without the token, with a wrong token, a foreign Origin or a foreign Host', async () => {
    expect((await get(web.port, '/')).status).toBe(401);
    expect((await get(web.port, '/?token=wrong')).status).toBe(401);
    expect((await get(web.port, `/?token=${web.token}`, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await get(web.port, `/?token=${web.token}`, { Host: 'evil.example:80' })).status).toBe(421);
  });

  it('refuses path traversal in every spelling', async () => {
    for (const path of [
      '/../secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/%00index.html',
      '/%E0%A4%A',
    ]) {
      const response = await get(web.port, `${path}${path.includes('?') ? '&' : '?'}token=${web.token}`);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.body, path).not.toContain('outside the root');
    }
  });

  it('refuses traversal sent as raw bytes (no client-side normalising), double-encoded, overlong UTF-8 and absolute-form', async () => {
    const paths = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/..\\secret.txt',
      '/.%2e/secret.txt',
      '/%2e./secret.txt',
      '/%2E%2E/secret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/%252e%252e/secret.txt',
      '/%c0%ae%c0%ae/secret.txt',
      '/..%c0%afsecret.txt',
      '/..;/secret.txt',
      '/%2fsecret.txt',
      `http://127.0.0.1:${web.port}/../secret.txt`,
    ];
    for (const target of paths) {
      const { status, body } = await rawGet(web.port, `${target}?token=${web.token}`);
      expect(status, target).toBeGreaterThanOrEqual(400);
      expect(body, target).not.toContain('outside the root');
    }
  });

  it('keeps uploads inside the upload folder whatever name the browser sends', async () => {
    for (const name of ['../../secret.txt', '..%2f..%2fevil', '/etc/passwd', '..\\..\\evil', '']) {
      const reply = await upload(web.port, web.token, name, 'not a capture');
      expect(reply.status, name).toBe(200);
      const saved = JSON.parse(reply.body) as { path: string };
      expect(saved.path.startsWith(join(dir, 'uploads') + '/'), `${name} → ${saved.path}`).toBe(true);
      expect(saved.path.slice(join(dir, 'uploads').length + 1), name).not.toContain('/');
    }
  });

  it('answers calls over the socket and rejects a socket without token or with a foreign Origin', async () => {
    const base = `ws://127.0.0.1:${web.port}/api`;
    await expect(openSocket(base, `http://127.0.0.1:${web.port}`)).rejects.toThrow(/401/);
    await expect(openSocket(`${base}?token=${web.token}`, 'http://evil.example')).rejects.toThrow(/403/);
    const ws = await openSocket(`${base}?token=${web.token}`, `http://127.0.0.1:${web.port}`);
    ws.send(JSON.stringify({ id: 1, method: 'app.getInfo', params: {} }));
    const reply = await nextMessage(ws);
    expect(reply.id).toBe(1);
    expect(reply.result.ok).toBe(true);
    expect(reply.result.value).toMatchObject({ appName: 'Keepalive Lab', mode: 'web' });
    ws.close();
  });

  it('rejects malformed messages clearly and keeps the socket usable', async () => {
    const ws = await openSocket(`ws://127.0.0.1:${web.port}/api?token=${web.token}`, `http://127.0.0.1:${web.port}`);
    const cases: Array<[string, RegExp]> = [
      ['not json', /not valid JSON/],
      [JSON.stringify({ method: 'app.getInfo' }), /id/],
      [JSON.stringify({ id: 2, method: 'no.such', params: {} }), /unknown method/],
      [JSON.stringify({ id: 3, method: 'app.getInfo', params: { extra: 1 } }), /app\.getInfo/],
      [JSON.stringify({ id: 4, method: 'job.cancel', params: { jobId: 5 } }), /jobId/],
      [JSON.stringify({ id: 5, method: 'app.getInfo', params: {}, evil: true }), /evil|Unrecognized/i],
    ];
    for (const [text, message] of cases) {
      ws.send(text);
      const reply = await nextMessage(ws);
      expect(reply.result.ok, text).toBe(false);
      expect(reply.result.error?.message, text).toMatch(message);
    }
    ws.send(JSON.stringify({ id: 9, method: 'app.getInfo', params: {} }));
    expect((await nextMessage(ws)).result.ok).toBe(true);
    ws.close();
  });
});
