/** The three TCP keepalive settings in one phrase, the same in reports, the CLI and the app. */

/** "idle 7200 s, interval 75 s, 9 probes"; a setting not known says so instead of a number. */
export function keepaliveSettingsText(idle: string | null, interval: string | null, probes: number | null): string {
  return [
    idle === null ? 'idle not known' : `idle ${idle}`,
    interval === null ? 'interval not known' : `interval ${interval}`,
    probes === null ? 'probe count not known' : `${probes} probes`,
  ].join(', ');
}

/** seconds as "75 s", or null when not known */
export const secondsOrNull = (value: number | null): string | null => (value === null ? null : `${value} s`);

/** The operating system's keepalive defaults (net.ipv4.tcp_keepalive_time, _intvl, _probes on Linux). */
export function osDefaultsText(defaults: { timeS: number | null; intervalS: number | null; probes: number | null }): string {
  return keepaliveSettingsText(secondsOrNull(defaults.timeS), secondsOrNull(defaults.intervalS), defaults.probes);
}
