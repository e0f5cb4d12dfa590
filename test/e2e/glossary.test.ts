/**
 * Words a learner knows: the glossary's one-line help shows on keyboard focus of an option and on
 * hover of a legend word, and is the control's accessible description.
 */
import { describe, expect, it } from 'vitest';
import { GLOSSARY } from '@shared/glossary';
import { webModeInChromium } from './helpers/web-mode';
import { openHttpLab } from './helpers/lab-page';

describe('glossary help in Chromium', () => {
  const web = webModeInChromium();

  it('explains maxSockets on focus and RST on hover, with the same words as the glossary', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await openHttpLab(page, web.serve.url);
    await page.getByText('More http.Agent options').click();
    const maxSockets = page.getByLabel('maxSockets', { exact: true });
    const tipId = await maxSockets.getAttribute('aria-describedby');
    expect(tipId).toBeTruthy();
    const tip = page.locator(`[id="${tipId}"]`);
    expect(await tip.isVisible()).toBe(false);
    await maxSockets.focus();
    expect(await tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toBe(GLOSSARY.maxSockets.help);
    await page.keyboard.press('Tab');
    expect(await tip.isVisible()).toBe(false);

    await page.goto(`${web.serve.url}#lab/tcp`);
    const rst = page.locator('.timeline-legend .term', { hasText: /^RST$/ }).first();
    await rst.hover();
    const rstTip = page.locator(`[id="${await rst.getAttribute('aria-describedby')}"]`);
    expect(await rstTip.isVisible()).toBe(true);
    expect(await rstTip.textContent()).toBe(GLOSSARY.rst.help);
    await page.close();
  });
});
