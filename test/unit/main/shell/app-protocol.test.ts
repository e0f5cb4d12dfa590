/** The app:// handler serves the built renderer's files and nothing else, with the renderer's CSP. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeElectron } from './fake-electron';

vi.mock('electron', () => fakeElectron());

const { serveAppRequest, APP_ENTRY_URL } = await import('../../../../src/main/shell/app-protocol');
const { CSP } = await import('../../../../src/main/shell/window');

let parent: string;
let root: string;

beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), 'kl-app-protocol-'));
  root = join(parent, 'renderer');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), '<!doctype html><title>app</title>');
  await writeFile(join(root, 'assets', 'index.js'), 'console.log(1)');
  await writeFile(join(parent, 'secret.txt'), 'outside the renderer');
});
afterAll(() => rm(parent, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => serveAppRequest(root, { url, method });

describe('app:// protocol handler', () => {
  it('serves the entry page and assets with their type and the CSP header', async () => {
    const page = await get(APP_ENTRY_URL);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CSP);
    expect(await page.text()).toContain('<title>app</title>');
    const script = await get('app://keepalive-lab/assets/index.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1)');
    expect((await get('app://keepalive-lab/')).status).toBe(200);
  });

  it('refuses paths that leave the renderer folder, before touching the file system', async () => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%5c..%5csecret.txt',
      '/index.html%00.js',
    ]) {
      const response = await get(`app://keepalive-lab${path}`);
      expect([400, 404], path).toContain(response.status);
      expect(await response.text(), path).not.toContain('outside the renderer');
    }
  });

  it('answers 404 for a missing file or another host, 405 for a write', async () => {
    expect((await get('app://keepalive-lab/nothing.js')).status).toBe(404);
    expect((await get('app://keepalive-lab/assets')).status).toBe(404);
    expect((await get('app://other-host/index.html')).status).toBe(404);
    expect((await get(APP_ENTRY_URL, 'POST')).status).toBe(405);
    const head = await get(APP_ENTRY_URL, 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});
