/**
 * The web mode and Chromium for one describe block: started before its tests, stopped after them.
 * (A separate file from browser.ts, which the bench also imports outside vitest.)
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium, startServe, type ServeProcess } from './browser';

export interface WebMode {
  readonly serve: ServeProcess;
  readonly browser: Browser;
}

export function webModeInChromium(serveArgs: string[] = [], as?: Parameters<typeof startServe>[1]): WebMode {
  let serve: ServeProcess | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    serve = await startServe(serveArgs, as);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });
  return {
    get serve() {
      if (serve === undefined) throw new Error('the web mode is not running (used outside the describe block?)');
      return serve;
    },
    get browser() {
      if (browser === undefined) throw new Error('Chromium is not running (used outside the describe block?)');
      return browser;
    },
  };
}
