/**
 * A word from the glossary (src/shared/glossary.ts) with its one line of help, shown on hover and on
 * keyboard focus. The help is the element's accessible description, so a screen reader says it too.
 */
import { useId, type ReactNode } from 'react';
import { GLOSSARY, type TermId } from '@shared/glossary';
import './glossary.css';

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
