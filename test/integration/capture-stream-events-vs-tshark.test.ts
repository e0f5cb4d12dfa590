/**
 * The requests and FIN/RST segments the capture timeline draws on each lane (stream-events.ts),
 * against tshark on every public capture with HTTP requests or FIN/RST segments:
 * - per stream, as many requests as tshark's `http.request` frames (its defaults: the verdicts);
 * - each request at a frame where tshark shows its start line: with `http.desegment_body:FALSE`
 *   tshark puts `http.request` there (the frame that completes the header block); with its default
 *   (bodies reassembled) it puts it on the body's last frame, and shows the start line in the Info
 *   column of the header's frame ("POST /getvkey HTTP/1.1 [TCP segment of a reassembled PDU]");
 * - each request's response as tshark pairs them (`http.request_in` on the response), or, where tshark
 *   without body reassembly reads the response's header frame as a continuation (zeek__bro.org.pcap
 *   frame 218), a frame whose Info shows a status line under tshark's defaults;
 * - per stream, the FIN and RST segments the verdicts count, the first of each at the verdict's frame,
 *   each from the side that sent it.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_END_SEGMENTS } from '@shared/api-capture';
import { analyzeCaptureFile } from '@engine/capture/analyze';
import { streamEvents } from '@engine/capture/stream-events';

const CORPUS = path.resolve(__dirname, '../../../shared/captures/public');

interface VerdictStream {
  stream: number;
  a: string;
  fin: number;
  rst: number;
  firstFinFrame: number | null;
  firstRstFrame: number | null;
  httpRequests: number;
}

/** tshark's fields for the frames matching `filter`, one array per frame. */
function tsharkFields(file: string, filter: string, fields: string[], preferences: string[] = []): string[][] {
  // the last occurrence of a field: the inner IP header of a tunnelled packet (GRE), the latest request a response answers
  const args = [
    ...preferences,
    '-n',
    '-r',
    file,
    '-Y',
    filter,
    '-T',
    'fields',
    '-E',
    'occurrence=l',
    ...fields.flatMap((field) => ['-e', field]),
  ];
  const out = spawnSync('tshark', args, { maxBuffer: 256 * 1024 * 1024 }).stdout.toString();
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t'));
}

const NO_BODY_REASSEMBLY = ['-o', 'http.desegment_body:FALSE'];

/** A boolean field as tshark prints it ("1", or "True" in newer versions). */
const isSet = (value: string | undefined) => value === '1' || value === 'True';

/** Default tshark's Info column of `frames`. */
function infoOf(file: string, frames: readonly number[]): Map<number, string> {
  if (frames.length === 0) return new Map();
  const rows = tsharkFields(file, frames.map((frame) => `frame.number==${frame}`).join(' || '), ['frame.number', '_ws.col.Info']);
  return new Map(rows.map(([frame, info]) => [Number(frame), info ?? '']));
}

const captures = readdirSync(CORPUS)
  .filter((name) => /\.(pcap|pcapng|cap)$/.test(name))
  .map((name) => ({ name, verdict: JSON.parse(readFileSync(path.join(CORPUS, `${name}.tshark.json`), 'utf8')) }))
  .filter(({ verdict }) => Array.isArray(verdict.streams))
  .filter(({ verdict }) => (verdict.streams as VerdictStream[]).some((stream) => stream.httpRequests > 0 || stream.fin + stream.rst > 0));

describe('the lanes’ requests and FIN/RST segments, against tshark', () => {
  it('finds enough captures to compare', () => {
    expect(captures.length).toBeGreaterThan(30);
  });

  for (const { name, verdict } of captures) {
    it(name, { timeout: 60_000 }, async () => {
      const file = path.join(CORPUS, name);
      const analysis = await analyzeCaptureFile(file);
      const events = streamEvents(analysis, analysis.streams, { maxRequests: Number.MAX_SAFE_INTEGER });
      const verdictStreams = verdict.streams as VerdictStream[];
      expect(events.length).toBe(verdictStreams.length);

      // FIN and RST: counted as the verdicts count them (a segment with both bits is in both counts, and listed once, as RST)
      for (const theirs of verdictStreams) {
        const ours = events[theirs.stream]!;
        const listed = ours.ends.length + ours.endsLeftOut;
        const both = theirs.fin + theirs.rst - listed;
        expect(both, `stream ${theirs.stream}: FIN+RST segments`).toBeGreaterThanOrEqual(0);
        expect(ours.ends.length).toBe(Math.min(MAX_END_SEGMENTS, listed));
        const firstOf = (kind: 'fin' | 'rst') => ours.ends.find((end) => end.kind === kind)?.frame ?? null;
        if (listed < MAX_END_SEGMENTS && both === 0) {
          expect(firstOf('fin'), `stream ${theirs.stream}: first FIN`).toBe(theirs.firstFinFrame);
          expect(firstOf('rst'), `stream ${theirs.stream}: first RST`).toBe(theirs.firstRstFrame);
        }
      }
      // one tshark run under its defaults: the FIN/RST senders and each frame tshark counts as an HTTP request
      const defaults = tsharkFields(file, '(http.request && tcp) || tcp.flags.fin==1 || tcp.flags.reset==1', [
        'frame.number',
        'tcp.stream',
        'http.request',
        'tcp.flags.fin',
        'tcp.flags.reset',
        'ip.src',
        'ipv6.src',
        'tcp.srcport',
      ]);
      const endFrames = events.flatMap((stream) => stream.ends.map((end) => ({ stream: stream.stream, end })));
      const senders = new Map(
        defaults
          .filter(([, , , fin, reset]) => isSet(fin) || isSet(reset))
          .map(([frame, , , , , v4, v6, port]) => [Number(frame), v4 ? `${v4}:${port}` : `[${v6}]:${port}`]),
      );
      for (const { stream, end } of endFrames) {
        const a = analysis.streams[stream]!.a;
        expect(end.from === 'a', `frame ${end.frame}: from a`).toBe(senders.get(end.frame) === a);
      }

      // requests: per stream as many as tshark's `http.request` frames (zeek__http-te_cl_desync.pcap's one frame
      // carries two requests, a smuggled one after the first: one frame, one mark, as tshark lists it)
      const requests = events.flatMap((stream) => stream.requests.map((request) => ({ stream: stream.stream, request })));
      const framesPerStream = new Map<number, number>();
      for (const [, stream, request] of defaults)
        if (isSet(request)) framesPerStream.set(Number(stream), (framesPerStream.get(Number(stream)) ?? 0) + 1);
      for (const theirs of verdictStreams) {
        const ours = events[theirs.stream]!;
        const frames = framesPerStream.get(theirs.stream) ?? 0;
        expect(ours.requests.length + ours.requestsLeftOut, `stream ${theirs.stream}: requests`).toBe(frames);
        expect(frames).toBeLessThanOrEqual(theirs.httpRequests);
        expect(ours.requests.map((request) => request.n)).toEqual(ours.requests.map((_, index) => index + 1));
      }
      if (requests.length === 0) return;
      // one tshark run without body reassembly: each request's header frame, and each response with the request it answers
      const headers = tsharkFields(
        file,
        '(http.request || http.response) && tcp',
        ['frame.number', 'tcp.stream', 'frame.time_relative', 'http.request', 'http.request_in', 'http.response.code'],
        NO_BODY_REASSEMBLY,
      );
      const headerFrames = new Map(
        headers
          .filter(([, , , request]) => isSet(request))
          .map(([frame, stream, time]) => [Number(frame), { stream: Number(stream), time: Number(time) }]),
      );
      const elsewhere = requests.filter(({ request }) => !headerFrames.has(request.frame)).map(({ request }) => request.frame);
      const pairs = new Map(
        headers
          .filter(([, , , , requestIn, code]) => requestIn && !code?.startsWith('1'))
          .map(([frame, , , , requestIn]) => [Number(requestIn), Number(frame)]),
      );
      const unpaired = requests.filter(({ request }) => request.responseFrame !== null && !pairs.has(request.frame));
      // one more run under tshark's defaults, for the Info column of the frames the others did not place
      const shownAt = infoOf(file, [...elsewhere, ...unpaired.map(({ request }) => request.responseFrame!)]);
      for (const { stream, request } of requests) {
        const theirs = headerFrames.get(request.frame);
        if (theirs) {
          expect(theirs.stream).toBe(stream);
          expect(request.time).toBeCloseTo(theirs.time, 6);
        } else expect(shownAt.get(request.frame), `frame ${request.frame}: a request's start line`).toMatch(/^\S+ \S+ HTTP\/1\.\d/);
      }

      // responses: as tshark pairs them
      for (const { request } of requests) {
        const theirs = pairs.get(request.frame);
        if (theirs !== undefined) expect(request.responseFrame, `response to frame ${request.frame}`).toBe(theirs);
        else if (request.responseFrame !== null)
          expect(shownAt.get(request.responseFrame), `frame ${request.responseFrame}: a status line`).toMatch(/^HTTP\/1\.\d \d{3}/);
      }
    });
  }
});
