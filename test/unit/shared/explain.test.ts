import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  EXPLAIN_KINDS,
  EXPLANATIONS,
  explain,
  explainKindForFlag,
  isExplainKind,
  fillTemplate,
  renderExplanation,
  templateFields,
  UNKNOWN_VALUE_TEXT,
} from '@shared/explain';

const publicCaptures = resolve(import.meta.dirname, '../../../../shared/captures/public');

describe('explanations', () => {
  it('has a complete, plain entry for every kind, keyed by its own kind', () => {
    expect(EXPLAIN_KINDS.length).toBe(28);
    for (const kind of EXPLAIN_KINDS) {
      const entry = EXPLANATIONS[kind];
      expect(entry.kind).toBe(kind);
      for (const text of [entry.title, entry.whatYouSee, entry.whyConcluded, entry.tryNext]) {
        expect(text.trim().length).toBeGreaterThan(5);
        expect(text).not.toMatch(/TODO|lorem/i);
      }
      expect(entry.whatYouSee.length).toBeLessThan(320);
    }
  });

  it('covers every phenomenon the issues name', () => {
    const required = [
      'keepalive-probe',
      'keepalive-ack',
      'zero-window-probe',
      'zero-window-probe-ack',
      'zero-window',
      'retransmission',
      'fast-retransmission',
      'spurious-retransmission',
      'out-of-order',
      'duplicate-ack',
      'lost-segment',
      'connection-reused',
      'new-connection',
      'new-connection-body-not-drained',
      'keepalive-off',
      'queued-above-max-sockets',
      'stale-race',
      'half-open-peer',
      'fin-vs-rst',
      'pool-wait',
      'capture-mid-connection',
    ];
    for (const kind of required) expect(isExplainKind(kind), kind).toBe(true);
    expect(isExplainKind('nonsense')).toBe(false);
  });

  it('states Wireshark’s rules as packet-tcp.c checks them', () => {
    expect(explain('keepalive-probe').whyConcluded).toMatch(/one less than the next expected/);
    expect(explain('keepalive-probe').whyConcluded).toMatch(/0 or 1/);
    expect(explain('keepalive-probe').whyConcluded).toMatch(/no SYN, FIN or RST/);
    expect(explain('zero-window-probe').whyConcluded).toMatch(/equal to the next expected/);
    expect(explain('keepalive-ack').whyConcluded).toMatch(/most recent segment was a keep-alive probe/);
    expect(explain('capture-mid-connection').whyConcluded).toMatch(/Dup ACK/);
  });

  it('renders the compared values into the template (a real probe: seq = next expected − 1)', () => {
    expect(templateFields('keepalive-probe')).toEqual(['seq', 'nextExpected', 'payload']);
    const rendered = renderExplanation('keepalive-probe', { seq: 4294967295, nextExpected: 0, payload: 0 });
    expect(rendered.whyConcluded).toContain(
      'Its sequence number 4294967295 is one less than the next expected 0, it carries 0 bytes of payload',
    );
    expect(rendered.missing).toEqual([]);
    expect(rendered.title).toBe('TCP keep-alive probe');
    expect(renderExplanation('keepalive-probe', { seq: 99, nextExpected: 100, payload: 1 }).whyConcluded).toContain(
      'it carries 1 byte of payload',
    );
  });

  it('says a count with its noun in the singular or plural, never "(s)"', () => {
    for (const kind of EXPLAIN_KINDS) {
      for (const count of [1, 2]) {
        const values = Object.fromEntries(templateFields(kind).map((name) => [name, count]));
        const rendered = renderExplanation(kind, values);
        for (const field of ['title', 'whatYouSee', 'whyConcluded', 'tryNext'] as const)
          expect(rendered[field], kind).not.toMatch(/\(s\)|\{|\}/);
      }
    }
    expect(renderExplanation('queued-above-max-sockets', { waiting: 1, maxSockets: 1 }).whyConcluded).toContain(
      '1 request waited because every connection allowed (maxSockets = 1) was busy',
    );
    expect(renderExplanation('connection-reused', { request: 3, conn: 'c1', previousRequests: 2 }).whyConcluded).toContain(
      'which had already carried 2 requests',
    );
  });

  it('leaves out the parts whose values are unknown, so the rule reads in words', () => {
    const partial = renderExplanation('keepalive-ack', { window: 65535 });
    expect(partial.missing).toEqual(['seq', 'ack']);
    expect(partial.whyConcluded).toContain('window 65535 unchanged, sequence and ack the same');
    const reuse = renderExplanation('connection-reused', { conn: 'c1' });
    expect(reuse.whyConcluded).toBe('A request ran on connection c1, which had already carried at least one request.');
    expect(fillTemplate('ends at {end}.', {})).toBe(`ends at ${UNKNOWN_VALUE_TEXT}.`);
    // a value is inserted as is, never read as template syntax
    expect(fillTemplate('to[ {target}]', { target: '[::1]:80 {x}' })).toBe('to [::1]:80 {x}');
  });

  it('renders every kind with no values and with all values without a placeholder left', () => {
    for (const kind of EXPLAIN_KINDS) {
      const fields = templateFields(kind);
      const empty = renderExplanation(kind);
      const full = renderExplanation(kind, Object.fromEntries(fields.map((field, index) => [field, 1000 + index])));
      for (const rendered of [empty, full]) {
        const text = [rendered.title, rendered.whatYouSee, rendered.whyConcluded, rendered.tryNext].join('\n');
        expect(text, kind).not.toMatch(/[{}‹›|]|\[|\]|(^|\s)\?(\s|$)/);
        // every placeholder sits in an optional part: nothing reads "(not known)"
        expect(text, kind).not.toContain(UNKNOWN_VALUE_TEXT);
        expect(text, kind).not.toMatch(/ {2}| [,.;:]/);
      }
      expect(full.missing, kind).toEqual([]);
      fields.forEach((field, index) => expect(full.whyConcluded + full.whatYouSee, `${kind} ${field}`).toContain(String(1000 + index)));
    }
  });

  it('maps every tshark analysis flag of the public oracles (except window_full) to a kind', () => {
    const oracle = readdirSync(publicCaptures).find((name) => name.endsWith('.tshark.json'));
    expect(oracle, `no oracle files in ${publicCaptures}`).toBeDefined();
    const flags = Object.keys(
      (JSON.parse(readFileSync(resolve(publicCaptures, oracle!), 'utf8')) as { counts: Record<string, number> }).counts,
    );
    expect(flags.length).toBe(15);
    for (const flag of flags) {
      if (flag === 'window_full') expect(explainKindForFlag(flag)).toBeNull();
      else expect(isExplainKind(explainKindForFlag(flag)), flag).toBe(true);
    }
    expect(explainKindForFlag('keep_alive')).toBe('keepalive-probe');
    expect(explainKindForFlag('toString')).toBeNull();
  });

  it('gives a capture its own "try next": no lab setting (http.Agent, body mode) for someone else’s packets', () => {
    for (const kind of EXPLAIN_KINDS) {
      const inCapture = renderExplanation(kind, {}, { setting: 'capture' }).tryNext;
      if (['keepalive-probe', 'zero-window', 'connection-reused'].includes(kind)) {
        expect(inCapture, kind).not.toBe(renderExplanation(kind).tryNext);
        expect(inCapture, kind).not.toMatch(/http\.Agent|In the lab|ignore response bodies/);
      }
    }
    expect(renderExplanation('keepalive-probe').tryNext).toContain('http.Agent');
    expect(renderExplanation('fin-vs-rst', {}, { setting: 'capture' }).tryNext).toBe(renderExplanation('fin-vs-rst').tryNext);
  });
});
