/**
 * A word from the glossary (src/shared/glossary.ts) with its one line of help, shown on hover and on
 * keyboard focus. The help is the element's accessible description, so a screen reader says it too.
 */
import { useId, type ReactNode } from 'react';
import { GLOSSARY, type TermId } from '@shared/glossary';
import './glossary.css';

/** What holds a tip: a term, a form field, a chip; the tip shows on its hover or focus. */
const TIP_HOLDER = '.term-wrap, .field-term, .chip-term';

/**
 * Escape hides the tip shown for the focused or hovered term, without moving focus (WCAG 1.4.13: content
 * on hover or focus is dismissable); it shows again once focus or the pointer leaves and comes back.
 * One listener for the page, installed with the first import of this module.
 */
function installTipDismissal(): void {
  if (typeof document === 'undefined') return;
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    const focused = document.activeElement?.closest(TIP_HOLDER);
    const hovered = [...document.querySelectorAll(':hover')].reverse().find((element) => element.matches(TIP_HOLDER));
    for (const holder of [focused, hovered]) {
      if (!holder || holder.hasAttribute('data-tip-dismissed')) continue;
      holder.setAttribute('data-tip-dismissed', '');
      const restore = () => {
        holder.removeAttribute('data-tip-dismissed');
        holder.removeEventListener('focusout', restore);
        holder.removeEventListener('mouseleave', restore);
      };
      holder.addEventListener('focusout', restore);
      holder.addEventListener('mouseleave', restore);
    }
  });
}
installTipDismissal();

export function Term({ id, children }: { id: TermId; children?: ReactNode }) {
  const tipId = useId();
  return (
    <span className="term-wrap">
      <span className="term" tabIndex={0} aria-describedby={tipId}>
        {children ?? GLOSSARY[id].term}
      </span>
      <TermTip id={tipId} term={id} />
    </span>
  );
}

/** The help line itself, for a control that shows it when it (or its label) has focus or the pointer. */
export function TermTip({ id, term }: { id: string; term: TermId }) {
  return (
    <span role="tooltip" id={id} className="term-tip">
      {GLOSSARY[term].help}
    </span>
  );
}
