/** Lesson text with `code` spans (the one piece of markup lessons use) shown as code, not as backticks. */
export function InlineText({ text }: { text: string }) {
  // split on backtick pairs: odd positions are code
  return <>{text.split('`').map((part, index) => (index % 2 === 1 ? <code key={index}>{part}</code> : part))}</>;
}
