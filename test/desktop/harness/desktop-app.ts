/**
 * The desktop app for one describe block: the main bundle booted with the
 * electron stand-in, its window's page in Chromium, a private home folder
 * (Documents inside), and what the page reported: console errors, CSP
 * violations (the `securitypolicyviolation` event, which also fires for a
 * violation that the page's code caught), requests outside the app.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from '../../e2e/helpers/browser';
import { bootMain, type DesktopMain } from './main-process';
import { openRenderer, type DesktopRenderer } from './renderer';

export interface DesktopApp {
  readonly main: DesktopMain;
  readonly renderer: DesktopRenderer;
  readonly page: Page;
  /** the stand-in's home folder: app.getPath('documents') is `${home}/Documents` */
  readonly home: string;
  readonly consoleErrors: string[];
  cspViolations(): Promise<string[]>;
  /** clicks a File menu item as its accelerator would (the stand-in calls the item's click handler) */
  menu(label: string): Promise<void>;
  /** switches view with the app's own navigation */
  view(name: 'Lab' | 'Captures' | 'Reports'): Promise<void>;
}

export function desktopAppInChromium(): DesktopApp {
  let state: { main: DesktopMain; renderer: DesktopRenderer; browser: Browser; home: string } | undefined;
  const consoleErrors: string[] = [];
  const get = () => {
    if (!state) throw new Error('the desktop app is not running (used outside the describe block?)');
    return state;
  };

  beforeAll(async () => {
    const home = await mkdtemp(join(tmpdir(), 'kl-desktop-'));
    await mkdir(join(home, 'Documents'));
    const main = bootMain(home);
    const browser = await launchChromium();
    // watchers first, so what happens while the page loads counts too
    const renderer = await openRenderer(browser, main, async (page) => {
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
      page.on('pageerror', (error) => consoleErrors.push(error.message));
      await page.addInitScript(() => {
        const seen: string[] = [];
        (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
        document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
      });
    });
    state = { main, renderer, browser, home };
  });
  afterAll(async () => {
    await state?.browser.close();
    await state?.main.stop();
    if (state) await rm(state.home, { recursive: true, force: true });
  });

  return {
    get main() {
      return get().main;
    },
    get renderer() {
      return get().renderer;
    },
    get page() {
      return get().renderer.page;
    },
    get home() {
      return get().home;
    },
    consoleErrors,
    cspViolations: () => get().renderer.page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations),
    menu: async (label) => {
      await get().main.command('menu-click', { label, byAccelerator: true });
    },
    view: async (name) => {
      const page = get().renderer.page;
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
      await page.waitForFunction((hash) => window.location.hash === hash, `#${name.toLowerCase()}`);
    },
  };
}
