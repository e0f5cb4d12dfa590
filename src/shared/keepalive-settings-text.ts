/**
 * Keepalive settings in words, the same in the reports' tables and the CLI's `info`.
 *
 * Pure TypeScript: no node:*, no DOM.
 */
import type { ValueSource } from './trace';

/** Where a setting's value came from, in words: "1 s (set by the lab)", "0 ms (the system's default)". */
export const VALUE_SOURCE_WORDS: Record<ValueSource, string> = {
  lab: 'set by the lab',
  'libuv-default': 'libuv’s default',
  'os-default': 'the system’s default',
  'node-default': 'Node’s default',
  'capture-inferred': 'inferred from the capture',
  unknown: 'where it came from is not known',
};

/** A source token in words; a token this version does not know is shown as it is. */
export function valueSourceText(source: unknown): string {
  return typeof source === 'string' && source in VALUE_SOURCE_WORDS ? VALUE_SOURCE_WORDS[source as ValueSource] : String(source);
}

/** "idle 7200 s, interval 75 s, 9 probes", each part that is not known said so in words. */
export function keepaliveSettingsText(idle: string | null, interval: string | null, probes: number | null): string {
  return [
    idle === null ? 'idle not known' : `idle ${idle}`,
    interval === null ? 'interval not known' : `interval ${interval}`,
    probes === null ? 'probe count not known' : `${probes} probes`,
  ].join(', ');
}

/** A figure in whole seconds as "75 s", or null when not known. */
export const secondsOrNull = (value: number | null): string | null => (value === null ? null : `${value} s`);

/** The OS's keepalive defaults as the report's environment section shows them (values in seconds). */
export function osDefaultsText(defaults: { timeS: number | null; intervalS: number | null; probes: number | null }): string {
  return keepaliveSettingsText(secondsOrNull(defaults.timeS), secondsOrNull(defaults.intervalS), defaults.probes);
}
