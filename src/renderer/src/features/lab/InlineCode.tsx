/** Text with `backtick` spans, as the scenario lessons write option names and header values: the spans become <code>. */
import { Fragment } from 'react';
import { inlineCodeParts } from './inline-code';

export function InlineCode({ text }: { text: string }) {
  return (
    <>
      {inlineCodeParts(text).map((part, index) =>
        part.code ? <code key={index}>{part.text}</code> : <Fragment key={index}>{part.text}</Fragment>,
      )}
    </>
  );
}
