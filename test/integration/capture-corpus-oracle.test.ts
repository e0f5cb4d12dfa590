/**
 * Every capture of the public corpus against tshark 4.0.17's verdicts (its *.tshark.json):
 * keep-alive and keep-alive-ACK frames identical on every file, every other analysis flag too
 * unless KNOWN_DISAGREEMENTS below names the file, the flag and why; stream counts and HTTP
 * requests per stream as tshark counts them.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCaptureFile, listAnnotations, type CaptureAnalysis } from '@engine/capture/analyze';
import { ANALYSIS_FLAG_NAMES, type AnalysisFlagName } from '@engine/capture/tcp-flags';

const CORPUS = path.resolve(__dirname, '../../../shared/captures/public');

interface OracleStream {
  stream: number;
  a: string;
  b: string;
  firstFrame: number;
  lastFrame: number;
  packets: number;
  end: string;
  httpRequests: number;
  keepAlives: number;
}

interface Oracle {
  packets: number;
  streamCount: number;
  flags: Record<AnalysisFlagName, number[]>;
  streams: OracleStream[];
  http: { requestsPerStream: Record<string, number> };
}

/**
 * Where we knowingly differ from tshark, per file: flag (or 'http' / 'streams') → why.
 * Every entry is checked to still disagree, so a fixed one must be removed.
 */
const KNOWN_DISAGREEMENTS: Record<string, Partial<Record<AnalysisFlagName | 'http' | 'streams', string>>> = {};

const files = readdirSync(CORPUS)
  .filter((name) => name.endsWith('.tshark.json'))
  .map((name) => name.slice(0, -'.tshark.json'.length))
  .sort();

function framesWith(analysis: CaptureAnalysis, flag: AnalysisFlagName): number[] {
  return listAnnotations(analysis)
    .filter((annotation) => annotation.flags.includes(flag))
    .map((annotation) => annotation.frame);
}

async function analyzeOrNull(file: string): Promise<CaptureAnalysis | null> {
  try {
    return await analyzeCaptureFile(path.join(CORPUS, file));
  } catch {
    return null;
  }
}

describe('public capture corpus against tshark 4.0.17', () => {
  it('finds the corpus', () => {
    expect(files.length).toBeGreaterThanOrEqual(80);
  });

  for (const file of files) {
    it(file, async () => {
      const oracle = JSON.parse(readFileSync(path.join(CORPUS, `${file}.tshark.json`), 'utf8')) as Oracle;
      const analysis = await analyzeOrNull(file);
      if (analysis === null) {
        // a file we refuse must be one tshark reads nothing from
        expect(oracle.packets).toBe(0);
        return;
      }
      const known = KNOWN_DISAGREEMENTS[file] ?? {};
      expect(framesWith(analysis, 'keep_alive'), 'keep_alive').toEqual(oracle.flags.keep_alive);
      expect(framesWith(analysis, 'keep_alive_ack'), 'keep_alive_ack').toEqual(oracle.flags.keep_alive_ack);
      for (const flag of ANALYSIS_FLAG_NAMES) {
        const ours = framesWith(analysis, flag);
        const theirs = oracle.flags[flag] ?? [];
        if (known[flag] !== undefined) expect(ours, `${flag} is listed as a known disagreement`).not.toEqual(theirs);
        else expect(ours, flag).toEqual(theirs);
      }
      if (known.streams !== undefined) {
        expect(analysis.streams.length, 'stream count is listed as a known disagreement').not.toBe(oracle.streamCount);
        return;
      }
      expect(analysis.streams.length, 'stream count').toBe(oracle.streamCount);
      const ourRequests: Record<string, number> = {};
      for (const stream of analysis.streams) if (stream.httpRequests > 0) ourRequests[String(stream.stream)] = stream.httpRequests;
      if (known.http !== undefined) expect(ourRequests).not.toEqual(oracle.http.requestsPerStream);
      else expect(ourRequests, 'HTTP requests per stream').toEqual(oracle.http.requestsPerStream);
      for (const theirs of oracle.streams) {
        const ours = analysis.streams[theirs.stream];
        expect(ours, `stream ${theirs.stream}`).toBeDefined();
        expect({
          a: ours?.a,
          b: ours?.b,
          firstFrame: ours?.firstFrame,
          lastFrame: ours?.lastFrame,
          packets: ours?.packets,
          end: ours?.end,
        }).toEqual({
          a: theirs.a,
          b: theirs.b,
          firstFrame: theirs.firstFrame,
          lastFrame: theirs.lastFrame,
          packets: theirs.packets,
          end: theirs.end,
        });
      }
    });
  }
});
