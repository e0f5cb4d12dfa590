/** Debian's Chromium driven by playwright-core (no browser download), and the real `serve` CLI. */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const repoRoot = resolve(import.meta.dirname, '../../..');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export interface ServeProcess {
  url: string;
  origin: string;
  token: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** A developer may point the tests at a private build of the UI (others may be rebuilding out/). */
const RENDERER_ARGS = process.env['KEEPALIVE_LAB_RENDERER_DIR'] ? ['--renderer-dir', process.env['KEEPALIVE_LAB_RENDERER_DIR']] : [];

/**
 * Starts `keepalive-lab serve` as a user would and waits for the printed URL; `as` runs it as another user (e.g. unprivileged).
 * KEEPALIVE_LAB_RENDERER_DIR, when set, serves that UI build instead of out/renderer.
 */
export function startServe(extraArgs: string[] = [], as?: { uid: number; gid: number; env: NodeJS.ProcessEnv }): Promise<ServeProcess> {
  const child = spawn(process.execPath, [resolve(repoRoot, 'bin/keepalive-lab.mjs'), 'serve', ...RENDERER_ARGS, ...extraArgs], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(as ?? {}),
  });
  return new Promise((resolvePromise, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`serve did not print its URL in 30 s: ${out} ${err}`)), 30_000);
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Keepalive Lab at (http:\/\/127\.0\.0\.1:(\d+)\/t\/([\w-]+)\/)/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      resolvePromise({
        url: match[1]!,
        origin: `http://127.0.0.1:${match[2]}`,
        token: match[3]!,
        child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGINT');
          }),
      });
    });
  });
}

/** Collects console errors and failed requests of a page, to assert there are none. */
export function watchPage(page: Page): { consoleErrors: string[]; failedRequests: string[] } {
  const consoleErrors: string[] = [];
  const failedRequests: string[] = [];
  page.on('console', (message) => {
    // every error counts, a 401 too: a reload at `/` gets the app itself (docs/SECURITY.md), no refusal on the way
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  page.on('requestfailed', (request) => failedRequests.push(`${request.url()} ${request.failure()?.errorText ?? ''}`));
  return { consoleErrors, failedRequests };
}
