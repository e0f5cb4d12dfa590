import { describe, expect, it } from 'vitest';
import { HttpPresetSchema, HttpRunConfigSchema } from '@shared/api-http';
import { HTTP_PRESETS, mergeConfig, resolveHttpConfig, UnknownPresetError } from '@engine/lab/http-scenarios';

describe('HTTP presets', () => {
  it('every preset and its contrast is a valid run config and matches the contract', () => {
    for (const preset of HTTP_PRESETS) {
      expect(() => HttpPresetSchema.parse(preset)).not.toThrow();
      expect(() => HttpRunConfigSchema.parse(preset.config)).not.toThrow();
      if (preset.contrast) expect(() => HttpRunConfigSchema.parse(preset.contrast?.config)).not.toThrow();
    }
    expect(new Set(HTTP_PRESETS.map((preset) => preset.name)).size).toBe(HTTP_PRESETS.length);
  });

  it('covers the learner scenarios the issue names', () => {
    const names = HTTP_PRESETS.map((preset) => preset.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'drained-body',
        'ignored-body',
        'keepalive-off',
        'two-held-open',
        'queued-above-max-sockets',
        'stale-race',
        'idle-gaps-tcp-keepalive',
        'tls-ignored-body',
        'tls-resumption',
        'tls-keepalive-off',
      ]),
    );
  });

  it('a title says what one run of the preset shows: none promises a comparison, which its contrast is for', () => {
    // Run runs the preset alone (the app's Run, the CLI's --preset): "X vs Y" would name a half the run never shows
    for (const preset of HTTP_PRESETS) expect(preset.title, preset.name).not.toMatch(/\b(vs|versus|or)\b|\bon and off\b/i);
    expect(HTTP_PRESETS.find((preset) => preset.name === 'tls-resumption')?.contrast?.title).toBe(
      'Session cache off (maxCachedSessions 0)',
    );
  });

  it('the race preset idles longer than the server and its contrast times out sooner', () => {
    const race = resolveHttpConfig('stale-race');
    expect(race.intervalMs).toBeGreaterThan(race.server.keepAliveTimeoutMs);
    expect(race.server.staleRace).toBe('fin');
    const contrast = HTTP_PRESETS.find((preset) => preset.name === 'stale-race')?.contrast;
    const safe = HttpRunConfigSchema.parse(contrast?.config);
    expect(safe.agent.timeoutMs).toBeLessThan(safe.server.keepAliveTimeoutMs);
  });
});

describe('resolveHttpConfig', () => {
  it('overrides merge one level deep onto the preset', () => {
    const config = resolveHttpConfig('stale-race', { requests: 5, server: { staleRace: 'rst' } });
    expect(config.requests).toBe(5);
    expect(config.server.staleRace).toBe('rst');
    expect(config.server.keepAliveTimeoutMs).toBe(300);
    expect(config.server.keepAliveHint).toBe(false);
  });

  it('fills defaults without a preset', () => {
    const config = resolveHttpConfig(undefined, {});
    expect(config).toMatchObject({ url: null, requests: 10, concurrency: 1, client: 'agent', body: 'drain' });
    expect(config.agent).toMatchObject({ keepAlive: true, keepAliveMsecs: 1000, scheduling: 'lifo', timeoutMs: null });
    expect(config.undici).toMatchObject({ keepAliveTimeoutMs: 4000, pipelining: 1 });
    expect(config.server.keepAliveTimeoutMs).toBe(5000);
  });

  it('rejects unknown presets and bad fields', () => {
    expect(() => resolveHttpConfig('nope')).toThrow(UnknownPresetError);
    expect(() => resolveHttpConfig(undefined, { requests: 0 })).toThrow();
    expect(() => resolveHttpConfig(undefined, { url: 'ftp://example.invalid/' })).toThrow();
    expect(() => resolveHttpConfig(undefined, { agent: { sockets: 3 } })).toThrow();
  });

  it('mergeConfig replaces non-group keys and arrays whole', () => {
    expect(mergeConfig({ a: { x: 1 }, server: { x: 1, y: 2 } }, { a: { z: 3 }, server: { y: 5 } })).toEqual({
      a: { z: 3 },
      server: { x: 1, y: 5 },
    });
  });
});
