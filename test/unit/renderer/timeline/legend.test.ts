/**
 * The timeline legend: each entry links the glossary word it names (the help shown on hover and
 * focus), and a timeline tells which entries it draws, so the legend can dim the rest in place.
 */
import { describe, expect, it } from 'vitest';
import { GLOSSARY } from '@shared/glossary';
import { HttpRunConfigSchema } from '@shared/api-http';
import { runHttpLoop } from '@engine/lab/http-loop';
import { LEGEND, LEGEND_HTTP2, type LegendEntry } from '@renderer/features/timeline/draw-style';
import { drawnLegendKeys } from '@renderer/features/timeline/legend-drawn';
import { sessionToTimeline } from '@renderer/features/timeline/session-to-timeline';
import { emptyTimeline } from '@renderer/features/timeline/timeline-model';
import { generatedCapture } from './fixtures';

/**
 * The entries that link no glossary word: HTTP/2's stream bars, whose words (a stream that opened its
 * connection, one on the connection already open) say all there is. Any other entry must link one.
 */
const UNLINKED = new Set(['stream that opened its connection', 'stream on the connection already open', 'failed stream']);

const entries: LegendEntry[] = [...LEGEND, ...LEGEND_HTTP2];

describe('timeline legend', () => {
  it('links every entry that names a glossary word to that word', () => {
    for (const entry of entries) {
      if (UNLINKED.has(entry.label)) {
        expect(entry.term, entry.label).toBeUndefined();
        continue;
      }
      expect(entry.term, `${entry.label}: no glossary link`).toBeDefined();
      expect(Object.keys(GLOSSARY), entry.label).toContain(entry.term);
    }
    // a label that is a glossary word verbatim links that very word
    const byWord = new Map(Object.entries(GLOSSARY).map(([id, word]) => [word.term.toLowerCase(), id]));
    for (const entry of entries) {
      const exact = byWord.get(entry.label.toLowerCase());
      if (exact) expect(entry.term, entry.label).toBe(exact);
    }
    // each entry of a legend defines its own thing: no two share a definition, and the request bars and the unread
    // body are defined by their own words (not keep-alive in general, nor the response-body option)
    for (const legend of [LEGEND, LEGEND_HTTP2]) {
      const terms = legend.flatMap((entry) => (entry.term ? [entry.term] : []));
      expect(new Set(terms).size).toBe(terms.length);
    }
    for (const key of ['request-new', 'request-reused', 'request-unknown', 'request-failed', 'body-unread'] as const) {
      const entry = LEGEND.find((candidate) => candidate.key === key)!;
      expect(GLOSSARY[entry.term!].term, key).toBe(entry.label);
    }
    // the two that once linked nothing (keyed by old labels)
    expect(LEGEND.find((entry) => entry.key === 'idle')?.term).toBe('idleGap');
    expect(LEGEND.find((entry) => entry.key === 'pool-wait')?.term).toBe('poolWait');
  });

  it('has no HTTP/2-only entry in the HTTP/1 legend, and one entry per key in each', () => {
    expect(LEGEND.map((entry) => entry.key)).not.toContain('ping');
    expect(LEGEND.map((entry) => entry.key)).not.toContain('goaway');
    for (const legend of [LEGEND, LEGEND_HTTP2]) expect(new Set(legend.map((entry) => entry.key)).size).toBe(legend.length);
  });

  it('knows what a real TLS run with unread bodies draws, and what it does not', async () => {
    const result = await runHttpLoop(HttpRunConfigSchema.parse({ tls: true, requests: 3, body: 'ignore' }), { sampleOpenSockets: false });
    const drawn = drawnLegendKeys(sessionToTimeline(result.session));
    expect(drawn).not.toBeNull();
    for (const key of ['request-new', 'handshake', 'tls-handshake', 'body-unread'] as const) expect(drawn?.has(key), key).toBe(true);
    for (const key of ['request-reused', 'request-failed', 'keepalive-probe', 'zero-window-probe', 'ping'] as const)
      expect(drawn?.has(key), key).toBe(false);
  }, 30_000);

  it('reads a big capture’s marks from its typed columns; an empty timeline dims nothing', () => {
    const drawn = drawnLegendKeys(generatedCapture(10_000, 4));
    expect(drawn?.has('keepalive-probe')).toBe(true);
    expect(drawn?.has('keepalive-ack')).toBe(true);
    expect(drawn?.has('rst')).toBe(false);
    expect(drawn?.has('request-reused')).toBe(true);
    expect(drawnLegendKeys(emptyTimeline())).toBeNull();
  });
});
