/**
 * What a person reads on a page, checked as they would read it: no leftover
 * placeholder (‹seq›, {name}, a lone "?" standing for a value), no text cut by
 * its box (scrollWidth > clientWidth where the text is not meant to ellipsize,
 * or any ellipsized figure), no select whose chosen option is cut, and no
 * timeline label the canvas had to shorten.
 *
 * "Meant to ellipsize": the element carries the whole text in its `title`
 * (a packet list's endpoints), and the text is not a figure.
 */
import type { Page } from 'playwright-core';

/** One problem, with where it is, for a readable failure message. */
export type ReadingProblem = string;

/** Runs in the page: every problem found in the visible document. */
function findProblems(): string[] {
  const problems: string[] = [];
  const describe = (element: Element): string => {
    const id = element.getAttribute('data-testid') ?? element.getAttribute('aria-label') ?? element.className.toString().split(' ')[0];
    return `<${element.tagName.toLowerCase()}${id ? ` ${id}` : ''}>`;
  };
  const hiddenOnPurpose = (element: Element): boolean => element.closest('.visually-hidden, .visually-hidden, [hidden]') !== null;
  // checkVisibility also says no inside a closed <details> (its content is not rendered)
  const visible = (element: Element): boolean => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && element.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true });
  };
  // a figure: a number with its unit, as in "51189 h 8 min", "1,723", "90 %", "184280767.123456", "2:05.3"
  const isFigure = (text: string): boolean =>
    /^[−-]?\d[\d\s.,]*(\s?(µs|ms|s|min|h|%|bytes|[KM]))?(\s+\d[\d.,]*\s?(µs|ms|s|min|h))*$/.test(text) || /^\d+:\d\d(\.\d+)?$/.test(text);

  // 1. placeholders in the text a person reads
  const text = document.body.innerText;
  for (const match of text.matchAll(/‹[^›\n]{1,40}›|\{[A-Za-z]+\}|(?:^|[\s(:=])\?(?=[\s,.;)]|$)/gm)) {
    const at = match.index ?? 0;
    problems.push(`placeholder “${match[0].trim()}” in “${text.slice(Math.max(0, at - 50), at + 30).replace(/\s+/g, ' ')}”`);
  }

  // 2. text cut by its box: a box that clips (overflow hidden or an ellipsis, not a scroll box) narrower than its text
  for (const element of document.body.querySelectorAll('*')) {
    if (element instanceof HTMLCanvasElement || element instanceof HTMLSelectElement || hiddenOnPurpose(element)) continue;
    const html = element as HTMLElement;
    if (!visible(element) || !html.innerText?.trim()) continue;
    const style = getComputedStyle(html);
    const scrolls = (overflow: string) => overflow === 'auto' || overflow === 'scroll';
    const clipsX = !scrolls(style.overflowX) && (style.overflowX !== 'visible' || style.textOverflow === 'ellipsis');
    const clipsY = !scrolls(style.overflowY) && style.overflowY !== 'visible';
    const wide = clipsX && html.scrollWidth > html.clientWidth + 1;
    const tall = clipsY && html.scrollHeight > html.clientHeight + 1;
    if (!wide && !tall) continue;
    const whole = html.innerText.trim();
    // meant to ellipsize: the box (or its one child) carries the whole text in its title, for a hover
    const titled = [html, ...html.children].some((node) => (node as HTMLElement).title?.includes(whole) ?? false);
    if (style.textOverflow === 'ellipsis' && !tall && titled && !isFigure(whole)) continue;
    problems.push(
      `text cut in ${describe(element)}: “${whole.slice(0, 80)}” (${html.scrollWidth}×${html.scrollHeight} in ${html.clientWidth}×${html.clientHeight})`,
    );
  }

  // 3. selects whose chosen option does not fit (the browser cuts it without an ellipsis)
  const measure = document.createElement('canvas').getContext('2d');
  for (const select of document.querySelectorAll('select')) {
    if (!visible(select) || hiddenOnPurpose(select) || !measure) continue;
    const style = getComputedStyle(select);
    measure.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const chosen = select.selectedOptions[0]?.textContent ?? '';
    // the drop-down arrow takes about 20 CSS px
    const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
    if (measure.measureText(chosen).width > room) problems.push(`select ${describe(select)} cuts its choice “${chosen}”`);
  }

  // 4. timeline labels the canvas had to shorten (timeline-controller.ts sets the count)
  for (const canvas of document.querySelectorAll('canvas[data-shortened-labels]')) {
    const count = canvas.getAttribute('data-shortened-labels');
    if (count !== '0') problems.push(`${count} timeline label(s) shortened in ${describe(canvas)}`);
  }
  return problems;
}

/** The problems on the page now, each prefixed with `where` (view, size, theme). */
export async function readingProblems(page: Page, where: string): Promise<ReadingProblem[]> {
  const found = await page.evaluate(findProblems);
  return found.map((problem) => `${where}: ${problem}`);
}
