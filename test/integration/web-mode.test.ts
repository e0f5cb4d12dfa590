import { writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebServer } from '../../src/main/web/server';
import { openPage, openSocket, startTestServer, upload, type TestServer } from './helpers/web-client';

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

describe('web mode server', () => {
  let server: TestServer;
  let web: WebServer;
  let app: string;

  beforeAll(async () => {
    server = await startTestServer();
    web = server.web;
    app = `/t/${web.token}`;
    await writeFile(join(server.dir, 'secret.txt'), 'outside the root');
  });
  afterAll(() => server.stop());

  it('prints a loopback URL with a token and listens on 127.0.0.1 only', async () => {
    expect(web.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/t\/[\w-]{20,}\/$/);
    expect(web.server.address()).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (external) {
      await expect(get(web.port, `${app}/`, {}, external.address)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    }
  });

  it('serves the page and its assets under the token prefix, and sets no cookie', async () => {
    const page = await get(web.port, `${app}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>ok</title>');
    expect(String(page.headers['content-security-policy'])).toContain("default-src 'self'");
    expect(page.headers['set-cookie']).toBeUndefined();
    const asset = await get(web.port, `${app}/assets/app.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers['set-cookie']).toBeUndefined();
    // the app's own files are public (a reload at `/` loads them): the same bytes with or without the token
    const atRoot = await get(web.port, '/');
    expect(atRoot.status).toBe(200);
    expect(atRoot.body).toBe(page.body);
    expect(atRoot.body).not.toContain(web.token);
    expect(String(atRoot.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    expect((await get(web.port, '/assets/app.js')).body).toBe(asset.body);
  });

  it('refuses requests without the token, with a wrong token, a foreign Origin or a foreign Host', async () => {
    const refused = await get(web.port, '/token-required');
    expect(refused.status).toBe(401);
    // the old spelling with the token in the query is gone: it would sit in logs and history
    expect((await get(web.port, `/index.html?token=${web.token}`)).status).toBe(401);
    expect((await get(web.port, `/upload?token=${web.token}`)).status).toBe(401);
    expect(refused.body).toContain('token required');
    expect(refused.body).not.toContain(web.token);
    expect((await get(web.port, `/t/${'x'.repeat(web.token.length)}/`)).status).toBe(401);
    expect((await get(web.port, `/t/${web.token.slice(0, -1)}/`)).status).toBe(401);
    expect((await get(web.port, `${app}/`, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await get(web.port, `${app}/`, { Host: 'evil.example:80' })).status).toBe(421);
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
      const response = await get(web.port, `${app}${path}`);
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
    ];
    for (const target of [...paths.map((path) => `${app}${path}`), `http://127.0.0.1:${web.port}${app}/../secret.txt`]) {
      const { status, body } = await rawGet(web.port, target);
      expect(status, target).toBeGreaterThanOrEqual(400);
      expect(body, target).not.toContain('outside the root');
    }
  });

  it('keeps uploads inside the upload folder whatever name the browser sends', async () => {
    const client = await openPage(server);
    for (const name of ['../../secret.txt', '..%2f..%2fevil', '/etc/passwd', '..\\..\\evil', '']) {
      const reply = await upload(server, client.page, name, 'not a capture');
      expect(reply.status, name).toBe(200);
      const stored = web.pages.get(client.page)!.uploads;
      const saved = [...stored.keys()].at(-1)!;
      expect(saved.startsWith(server.uploadDir + '/'), `${name} → ${saved}`).toBe(true);
      expect(saved.slice(server.uploadDir.length + 1), name).not.toContain('/');
    }
    await client.close();
  });

  it('answers calls after the token as first message; refuses a wrong token, a call before the token and a foreign Origin', async () => {
    await expect(openSocket(server, 'http://evil.example')).rejects.toThrow(/403/);
    const wrong = await openSocket(server);
    const wrongClosed = new Promise<number>((resolve) => wrong.once('close', (code) => resolve(code)));
    wrong.send(JSON.stringify({ token: 'x'.repeat(web.token.length) }));
    expect(await wrongClosed).toBe(1008);
    const early = await openSocket(server);
    const earlyClosed = new Promise<number>((resolve) => early.once('close', (code) => resolve(code)));
    early.send(JSON.stringify({ id: 1, method: 'app.getInfo', params: {} }));
    expect(await earlyClosed).toBe(1008);
    const client = await openPage(server);
    const reply = await client.call('app.getInfo');
    expect(reply.ok).toBe(true);
    expect(reply.value).toMatchObject({ appName: 'Keepalive Lab', mode: 'web' });
    await client.close();
  });

  it('rejects malformed messages clearly and keeps the socket usable', async () => {
    const client = await openPage(server);
    const cases: Array<[string, RegExp]> = [
      ['not json', /not valid JSON/],
      [JSON.stringify({ method: 'app.getInfo' }), /id/],
      [JSON.stringify({ id: 2, method: 'no.such', params: {} }), /unknown method/],
      [JSON.stringify({ id: 3, method: 'app.getInfo', params: { extra: 1 } }), /app\.getInfo/],
      [JSON.stringify({ id: 4, method: 'job.cancel', params: { jobId: 5 } }), /jobId/],
      [JSON.stringify({ id: 5, method: 'app.getInfo', params: {}, evil: true }), /evil|Unrecognized/i],
    ];
    for (const [text, message] of cases) {
      client.ws.send(text);
      const reply = await client.next();
      expect(reply.result.ok, text).toBe(false);
      expect(reply.result.error?.message, text).toMatch(message);
    }
    expect((await client.call('app.getInfo')).ok).toBe(true);
    await client.close();
  });
});
