/**
 * The numbers in the engine's rule sentences ("seq 394 = next expected 395 − 1,
 * payload 0, no SYN/FIN/RST"), under the names the explanation templates of
 * `src/shared/explain.ts` use (`{seq}`, `{nextExpected}`, `{payload}`, …). The
 * contract carries the sentence only; this keeps the template's values and the
 * sentence the same numbers. Pure.
 */

const PATTERNS: ReadonlyArray<{ name: string; pattern: RegExp }> = [
  { name: 'seq', pattern: /\bseq (\d+)/ },
  { name: 'nextExpected', pattern: /\bnext expected (?:seq )?(\d+)/ },
  { name: 'payload', pattern: /\bpayload (\d+)/ },
  { name: 'ack', pattern: /\back (\d+)/ },
  { name: 'previousWindow', pattern: /\bwindow changed (\d+) →/ },
  { name: 'window', pattern: /\bwindow (?:changed \d+ → )?(\d+)/ },
];

export function valuesFromReason(text: string): Record<string, number> {
  const values: Record<string, number> = {};
  for (const { name, pattern } of PATTERNS) {
    const match = pattern.exec(text);
    if (match?.[1] !== undefined) values[name] = Number(match[1]);
  }
  return values;
}
