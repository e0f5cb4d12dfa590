/**
 * The building blocks of the HTTP/2 lab's explanations (explain-http2.ts): their shape and the
 * `{name}` template filling, which refuses a template whose value is missing, so no sentence is
 * ever shown with a hole in it.
 *
 * Pure TypeScript: no node:*, no DOM.
 */
export interface Http2Explanation {
  /** stable key (React key, tests) */
  kind: 'multiplexed' | 'stream-limit' | 'refused' | 'unread-bodies' | 'goaway-idle' | 'resumed' | 'too-many-pings' | 'pings' | 'failed';
  title: string;
  /** what the learner sees, with the measured values */
  whatYouSee: string;
  /** why it happens */
  why: string;
  tryNext: string;
}

export type Values = Readonly<Record<string, string | number>>;

/** Fills `{name}` placeholders; a missing value is a bug in the caller, never a “?” on screen. */
export function fill(template: string, values: Values): string {
  return template.replace(/\{([A-Za-z]+)\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`explain-http2: no value for {${name}}`);
    return typeof value === 'number' ? formatNumber(value) : value;
  });
}

export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return value < 10 ? value.toFixed(1) : String(Math.round(value));
}

export const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
