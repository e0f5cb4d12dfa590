/**
 * Bad HAR input: mutations of the real files in ../shared/hars (truncation, wrong types, missing
 * fields, negative and absurd timings, shuffled entries, huge arrays) and files that are not HAR
 * at all. Each gives a HarFormatError with one sentence, or an import with a warning naming what
 * was skipped — never another exception, never a hang.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectKind } from '@shared/file-kind';
import { importHar, importHarFile } from '@engine/har/import-har';
import { HarFormatError, MAX_HAR_BYTES, MAX_HAR_ENTRIES, parseHarText } from '@engine/har/read-har';

const HARS = path.resolve(__dirname, '../../../../../shared/hars');
const scratch = mkdtempSync(path.join(tmpdir(), 'har-bad-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const sources = [
  'pagexray__www.etat.lu.har',
  'mitmproxy__firefox.har',
  'harviewer__issue-61_ie11.fiddler.har',
  'playwright__har-redirect.har',
];
const textOf = (file: string) => readFileSync(path.join(HARS, file), 'utf8');

/** Imports text; returns the error code or the warnings. Anything else thrown fails the test. */
function attempt(text: string): { error: string } | { warnings: string[]; requests: number } {
  try {
    const har = importHar(parseHarText(text), 'mutated.har');
    return { warnings: har.warnings, requests: har.requests.length };
  } catch (error) {
    expect(error).toBeInstanceOf(HarFormatError);
    expect((error as Error).message).not.toMatch(/\n/);
    return { error: (error as HarFormatError).code };
  }
}

/** A deterministic pseudo-random sequence (xorshift32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

describe('HAR bad input', () => {
  it('rejects what is not a HAR with one sentence', () => {
    expect(attempt('')).toEqual({ error: 'empty' });
    expect(attempt('   \n')).toEqual({ error: 'empty' });
    expect(attempt('<html></html>')).toEqual({ error: 'not-json' });
    expect(attempt('{"log": 3}')).toEqual({ error: 'not-a-har' });
    expect(attempt('{"log": {"entries": {}}}')).toEqual({ error: 'not-a-har' });
    expect(attempt('{"something": "else"}')).toEqual({ error: 'not-a-har' });
    expect(attempt('[1, 2]')).toEqual({ error: 'not-json' });
    expect(() => parseHarText('{"log": {"version": "1.2"}}')).toThrow(/log\.entries/);
  });

  it('a file cut short at any of 40 points is a broken-JSON error', () => {
    for (const file of sources) {
      const text = textOf(file);
      for (let step = 1; step <= 10; step++) {
        const result = attempt(text.slice(0, Math.floor((text.length * step) / 11)));
        expect(result, `${file} at ${step}/11`).toEqual({ error: 'not-json' });
      }
    }
    expect(() => parseHarText(textOf(sources[0] as string).slice(0, 500))).toThrow(/cut short/);
  });

  it('skips entries with wrong types or missing fields and says which', () => {
    const document = JSON.parse(textOf('pagexray__www.etat.lu.har'));
    const entries = document.log.entries;
    entries[1].startedDateTime = 42;
    entries[2].request.url = null;
    delete entries[3].request;
    entries[4] = 'not an entry';
    entries[5].timings = 'fast';
    const result = attempt(JSON.stringify(document));
    expect('warnings' in result && result.requests).toBe(entries.length - 5);
    const warnings = 'warnings' in result ? result.warnings.join('\n') : '';
    expect(warnings).toMatch(/1 entry skipped: "startedDateTime" is not a date \(entry 1\)/);
    expect(warnings).toMatch(/"request\.url" is not text \(entry 2\)/);
    expect(warnings).toMatch(/no "request" object \(entry 3\)/);
    expect(warnings).toMatch(/not an object \(entry 4\)/);
    expect(warnings).toMatch(/"timings" is not an object \(entry 5\)/);
  });

  it('drops negative and absurd timings with a warning, and reads the rest of the entry', () => {
    const document = JSON.parse(textOf('mitmproxy__charles.har'));
    const entry = document.log.entries[0];
    entry.timings.connect = -5;
    entry.timings.wait = 1e12;
    entry.timings.receive = 'slow';
    const har = importHar(parseHarText(JSON.stringify(document)), 'x.har');
    expect(har.requests[0]?.timings.connect).toBeNull();
    expect(har.requests[0]?.timings.wait).toBeNull();
    expect(har.warnings.join('\n')).toMatch(/negative timing other than -1/);
    expect(har.warnings.join('\n')).toMatch(/timing over an hour/);
    expect(har.warnings.join('\n')).toMatch(/timing that is not a number/);
  });

  it('shows shuffled entries in startedDateTime order and says they were out of order', () => {
    const document = JSON.parse(textOf('pagexray__www.etat.lu.har'));
    document.log.entries.reverse();
    const har = importHar(parseHarText(JSON.stringify(document)), 'x.har');
    const starts = har.requests.map((request) => request.startMs);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(har.warnings.join('\n')).toMatch(/out of time order/);
  });

  it(`reads at most ${MAX_HAR_ENTRIES.toLocaleString('en-US')} entries of a huge array, quickly`, () => {
    const document = JSON.parse(textOf('mitmproxy__firefox.har'));
    const one = document.log.entries[0];
    one.response.content = { size: 0, mimeType: 'text/html' }; // 60,000 copies of its body would not fit in one string
    one.timings.connect = 5; // each copy sets up its own connection: the worst case for deciding causes
    document.log.entries = Array.from({ length: MAX_HAR_ENTRIES + 10_000 }, (_, index) => ({
      ...one,
      startedDateTime: new Date(Date.parse(one.startedDateTime) + index).toISOString(),
    }));
    const started = performance.now();
    const har = importHar(parseHarText(JSON.stringify(document)), 'huge.har');
    expect(har.requests).toHaveLength(MAX_HAR_ENTRIES);
    expect(har.warnings[0]).toMatch(/60,000 entries: only the first 50,000 were read/);
    // every copy sets up a connection (Firefox writes no ids): 50,000 connections on one origin
    expect(har.connections.length).toBe(MAX_HAR_ENTRIES);
    expect(performance.now() - started).toBeLessThan(30_000);
  }, 60_000);

  it('refuses a file over the size cap before reading it', async () => {
    const big = path.join(scratch, 'big.har');
    writeFileSync(big, '{"log": {"entries": [');
    await truncate(big, 200 * 1024 * 1024); // sparse: 200 MB on paper, nothing on disk
    await expect(importHarFile(big)).rejects.toThrow(/200 MB, over the 100 MB/);
    expect(MAX_HAR_BYTES).toBe(100 * 1024 * 1024);
  });

  it('survives 300 random mutations of real files (seeded)', () => {
    const next = random(20261204);
    const junk = [null, 0, -1, -7, 1e308, '', 'x', [], {}, true, '2024-13-45T99:99:99Z'];
    for (let round = 0; round < 300; round++) {
      const file = sources[round % sources.length] as string;
      const document = JSON.parse(textOf(file).replace(/^\uFEFF/, ''));
      const entries = document.log.entries;
      const entry = entries[Math.floor(next() * entries.length)];
      const targets = [entry, entry.request, entry.response, entry.timings, document.log, document.log.creator].filter(
        (target) => target && typeof target === 'object',
      );
      const target = targets[Math.floor(next() * targets.length)];
      const keys = Object.keys(target);
      const key = keys[Math.floor(next() * keys.length)] ?? 'x';
      if (next() < 0.2) delete target[key];
      else target[key] = junk[Math.floor(next() * junk.length)];
      const result = attempt(JSON.stringify(document));
      if ('requests' in result) expect(result.requests).toBeLessThanOrEqual(entries.length);
    }
  }, 60_000);

  it('tells HAR from pcap and pcapng by the first bytes, not the name', () => {
    const bytes = (values: number[]) => Uint8Array.from(values);
    expect(detectKind(bytes([0xd4, 0xc3, 0xb2, 0xa1]))).toBe('pcap');
    expect(detectKind(bytes([0xa1, 0xb2, 0x3c, 0x4d]))).toBe('pcap');
    expect(detectKind(bytes([0x0a, 0x0d, 0x0d, 0x0a]))).toBe('pcapng');
    expect(detectKind(new TextEncoder().encode('\uFEFF  {"log"'))).toBe('har');
    expect(detectKind(new TextEncoder().encode('\r\n\t{'))).toBe('har');
    expect(detectKind(new TextEncoder().encode('<html>'))).toBe('unknown');
    expect(detectKind(bytes([]))).toBe('unknown');
  });
});
