/** Keyboard steps shared by the e2e tests. */
import type { Page } from 'playwright-core';

/** Tab presses before giving up on reaching a control: a page has a few dozen focusable elements */
const MAX_TABS = 80;

/** Presses Tab until the focused element matches `selector`; fails after MAX_TABS presses. */
export async function tabTo(page: Page, selector: string): Promise<void> {
  for (let press = 0; press < MAX_TABS; press++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((wanted) => document.activeElement?.matches(wanted) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}
