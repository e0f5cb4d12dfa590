/** Checks shared by the Lab view's e2e tests. */
import type { Page } from 'playwright-core';

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
