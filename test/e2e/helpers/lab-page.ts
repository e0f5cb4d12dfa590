/** Steps and checks shared by the Lab view's e2e tests (vitest only: the bench imports browser.ts, not this). */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { JobState } from '@renderer/features/lab/use-lab-job';

/** ms the lab's page may take to load its scenario list (the engine answers over the web mode's socket) */
const LAB_LOAD_TIMEOUT_MS = 15_000;

/** What the run status says (its `data-status`). */
export type RunStatus = JobState<unknown>['status'];

/** Opens the HTTP lab at the web mode's address `url` (with its token) and waits until it lists its scenarios. */
export async function openHttpLab(page: Page, url: string): Promise<void> {
  await page.goto(`${url}#lab/http`);
  await expect.poll(() => page.getByLabel('Scenario').locator('option').count(), { timeout: LAB_LOAD_TIMEOUT_MS }).toBeGreaterThan(3);
}

/** Opens the TCP lab at the web mode's address `url` and waits until its tab is the one shown. */
export async function openTcpLab(page: Page, url: string): Promise<void> {
  await page.goto(`${url}#lab/tcp`);
  await expect
    .poll(() => page.getByRole('tab', { name: 'TCP lab' }).getAttribute('aria-selected'), { timeout: LAB_LOAD_TIMEOUT_MS })
    .toBe('true');
}

/** Waits until the run status says `status`, at most `timeoutMs`. */
export async function waitForRunStatus(page: Page, status: RunStatus, timeoutMs: number): Promise<void> {
  await expect.poll(() => page.getByTestId('run-status').getAttribute('data-status'), { timeout: timeoutMs }).toBe(status);
}

/** Presses Run (or Compare) and waits until the run (both runs of a Compare) finished, at most `timeoutMs`. */
export async function runToFinish(page: Page, button: 'Run' | 'Compare', timeoutMs: number): Promise<void> {
  await page.getByRole('button', { name: button, exact: true }).click();
  await waitForRunStatus(page, 'finished', timeoutMs);
}

/** The value the TCP lab's figures list gives for `label` (its `dt`, the whole text). */
export function tcpStatValue(page: Page, label: string): Promise<string | null> {
  return page
    .getByTestId('tcp-stats')
    .locator('.stats-row', { has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) })
    .locator('dd')
    .textContent();
}

/** Inputs, selects and buttons in the Lab view without an accessible name (a label, aria-label or text). */
export async function unlabelledControls(page: Page): Promise<string[]> {
  return page.locator('.lab-view').evaluate((root) =>
    [...root.querySelectorAll('input, select, button, textarea')].flatMap((element) => {
      const control = element as HTMLInputElement;
      const named =
        (control.labels?.length ?? 0) > 0 ||
        control.getAttribute('aria-label') ||
        control.getAttribute('aria-labelledby') ||
        control.textContent?.trim();
      return named ? [] : [control.outerHTML.slice(0, 120)];
    }),
  );
}
