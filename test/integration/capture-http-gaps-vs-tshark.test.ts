/**
 * HTTP requests on captures with missing segments, counted as tshark counts them: public captures
 * with frames cut out by editcap (a fixed choice per file), compared per stream with tshark's
 * `http.request` frames on the same file. Requests whose bytes a gap cut are counted apart.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeCaptureFile } from '@engine/capture/analyze';

const CORPUS = path.resolve(__dirname, '../../../shared/captures/public');
const folder = mkdtempSync(path.join(tmpdir(), 'http-gaps-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/**
 * file → every how-many-th frame is cut (a prime, so the cuts fall on both directions and every
 * kind of segment), and whether some request is then cut (one-segment GETs without a body never are)
 */
const CUTS: Record<string, { every: number; partial: boolean }> = {
  'suricata__http-mime-truncated.pcap': { every: 7, partial: true },
  'ndpi__1kxun.pcap': { every: 5, partial: true },
  'packets__http_espn.pcapng': { every: 3, partial: true },
  'zeek__http-1000-requests-one-dropped-response.pcap': { every: 11, partial: false },
};

function tsharkRequestsPerStream(file: string): Record<string, number> {
  const out = execFileSync('tshark', ['-n', '-r', file, '-Y', 'http.request && tcp', '-T', 'fields', '-e', 'tcp.stream'], {
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 64 * 1024 * 1024,
  }).toString();
  const counts: Record<string, number> = {};
  for (const stream of out.split('\n').filter(Boolean)) counts[stream] = (counts[stream] ?? 0) + 1;
  return counts;
}

describe('HTTP requests on captures with gaps, against tshark', () => {
  for (const [name, { every, partial }] of Object.entries(CUTS)) {
    it(`${name} with every ${every}th frame cut`, async () => {
      const source = path.join(CORPUS, name);
      const { packets } = await analyzeCaptureFile(source);
      const frames = Array.from({ length: Math.floor(packets / every) }, (_, index) => String((index + 1) * every));
      const cut = path.join(folder, `cut-${name}`);
      // editcap says so (and exits 2) on a file cut short in its last packet; it still writes every whole one
      spawnSync('editcap', [source, cut, ...frames], { stdio: 'ignore' });
      const analysis = await analyzeCaptureFile(cut);
      const ours: Record<string, number> = {};
      for (const stream of analysis.streams) if (stream.httpRequests > 0) ours[String(stream.stream)] = stream.httpRequests;
      expect(ours).toEqual(tsharkRequestsPerStream(cut));
      const seenInPart = analysis.streams.reduce((sum, stream) => sum + stream.httpPartialRequests, 0);
      if (partial) expect(seenInPart, 'requests cut by a gap are counted apart').toBeGreaterThan(0);
      else expect(seenInPart).toBe(0);
    }, 60_000);
  }
});
