/**
 * The HTTP/2 lab through the one door (createService → `http2.run`), on real loopback sockets:
 * each learner preset measures what it teaches, the result passes its schema with a trace the
 * timeline draws (a lane per connection, streams inside it, PING and GOAWAY as marks), progress
 * streams under the job id, `job.cancel` stops a run early, and the web mode's policy applies.
 */
import { describe, expect, it } from 'vitest';
import { explainHttp2Run } from '@shared/explain-http2';
import { sessionToTimeline } from '@renderer/features/timeline/session-to-timeline';
import { runHttp2, servicesDisposedAfterEach, type Http2Run } from './helpers/http2-service';

const open = servicesDisposedAfterEach();

/** Every explanation's text is filled: no placeholder left. */
function expectFilled(result: Http2Run): void {
  for (const explanation of explainHttp2Run(result)) {
    expect(`${explanation.whatYouSee} ${explanation.why} ${explanation.tryNext}`).not.toMatch(/[{}‹›?]\s|\{[A-Za-z]+\}|undefined|NaN/);
  }
}

describe('http2.run through the service', () => {
  it('"many requests, one connection": 20 requests as streams of one TLS connection, drawn as one lane', async () => {
    const { service, events } = open();
    const result = await runHttp2(service, { preset: 'one-connection', jobId: 'h2-one' });
    expect(result.answered).toBe(20);
    expect(result.connections).toHaveLength(1);
    expect(result.connections[0]).toMatchObject({ id: 'c1', httpVersion: '2', tls: { version: 'TLS 1.3', alpn: 'h2', resumed: false } });
    expect(result.maxConcurrentStreams).toBeGreaterThan(1);
    expect(new Set(result.requests.map((request) => request.stream)).size).toBe(20);
    expect(result.requests.every((request) => request.connection === 'c1' && (request.stream ?? 0) % 2 === 1)).toBe(true);
    // the connection's lane (handshake), then rows of its streams under it, as many as ran at once
    const [connectionLane, ...streamRows] = sessionToTimeline(result.session).lanes;
    expect(connectionLane!.id).toBe('c1');
    expect(connectionLane!.spans.map((span) => span.kind)).toEqual(['handshake']);
    expect(streamRows.length).toBe(result.connections[0]!.maxConcurrent);
    expect(streamRows.every((row) => row.id.startsWith('c1/streams-') && row.label.startsWith('↳ stream'))).toBe(true);
    const streamSpans = streamRows.flatMap((row) => row.spans.filter((span) => span.kind === 'request'));
    expect(streamSpans).toHaveLength(20);
    for (const row of streamRows) {
      const spans = row.spans.filter((span) => span.kind === 'request');
      for (let index = 1; index < spans.length; index++) expect(spans[index]!.startUs).toBeGreaterThanOrEqual(spans[index - 1]!.endUs);
    }
    expect(events.some((event) => event.kind === 'job-progressed' && event.jobId === 'h2-one' && event.done === 20)).toBe(true);
    expect(events.some((event) => event.kind === 'trace-appended' && event.jobId === 'h2-one')).toBe(true);
    expect(explainHttp2Run(result)[0]!.whatYouSee).toContain('20 requests were answered on c1 alone');
    expectFilled(result);
  });

  it('"server limit: streams wait": 15 of 20 wait for a stream slot on the one connection, drawn as waits', async () => {
    const { service } = open();
    const result = await runHttp2(service, { preset: 'stream-limit' });
    expect(result.answered).toBe(20);
    expect(result.connections).toHaveLength(1);
    expect(result.connections[0]!.serverMaxConcurrentStreams).toBe(5);
    expect(result.server![0]!.maxConcurrent).toBe(5);
    expect(result.waitedForSlot).toBe(15);
    const waits = sessionToTimeline(result.session).lanes.flatMap((lane) => lane.spans.filter((span) => span.kind === 'pool-wait'));
    expect(waits).toHaveLength(15);
    expect(explainHttp2Run(result).map((explanation) => explanation.kind)).toContain('stream-limit');
    expectFilled(result);
  });

  it('"unread bodies": 10 unread 100 000-byte bodies, still one connection', async () => {
    const { service } = open();
    const result = await runHttp2(service, { preset: 'unread-bodies' });
    expect(result.requests.filter((request) => request.status === 200)).toHaveLength(10);
    expect(result.connections).toHaveLength(1);
    expect(result.server).toHaveLength(1);
    expect(explainHttp2Run(result).map((explanation) => explanation.kind)).toContain('unread-bodies');
    expectFilled(result);
  });

  it('"idle GOAWAY": each pause outlives the idle timeout; GOAWAY marks on the lanes and resumed TLS sessions', async () => {
    const { service } = open();
    const result = await runHttp2(service, { preset: 'idle-goaway' });
    expect(result.answered).toBe(3);
    expect(result.connections).toHaveLength(3);
    expect(result.connections[0]!.goaway).toMatchObject({ error: 'NO_ERROR', lastStreamId: 1 });
    expect(result.connections.slice(1).every((connection) => connection.openedBecause === 'after-goaway' && connection.tls?.resumed)).toBe(
      true,
    );
    const marks = sessionToTimeline(result.session).lanes.flatMap((lane) => lane.marks.filter((mark) => mark.kind === 'goaway'));
    expect(marks.length).toBeGreaterThanOrEqual(2);
    expect(marks[0]!.detail).toContain('NO_ERROR, last stream 1');
    const kinds = explainHttp2Run(result).map((explanation) => explanation.kind);
    expect(kinds).toEqual(expect.arrayContaining(['goaway-idle', 'resumed']));
    expectFilled(result);
  });

  it('"PING too often": GOAWAY ENHANCE_YOUR_CALM too_many_pings, PINGs as marks', async () => {
    const { service } = open();
    const result = await runHttp2(service, { preset: 'too-many-pings', config: { tls: false } });
    expect(result.answered).toBe(6);
    const calm = result.connections.find((connection) => connection.goaway?.error === 'ENHANCE_YOUR_CALM');
    expect(calm?.goaway?.debug).toBe('too_many_pings');
    expect(calm?.tls).toBeNull();
    const lane = sessionToTimeline(result.session).lanes.find((candidate) => candidate.id === calm!.id)!;
    expect(lane.marks.filter((mark) => mark.kind === 'ping').length).toBe(calm!.pings.length);
    expect(explainHttp2Run(result).map((explanation) => explanation.kind)).toContain('too-many-pings');
    expectFilled(result);
  });

  it('job.cancel stops a long run early; it returns what it saw', async () => {
    const { service, events } = open();
    const running = runHttp2(service, { config: { requests: 200, pauseMs: 200 }, jobId: 'h2-cancel' });
    const deadline = Date.now() + 10_000;
    while (!events.some((event) => event.kind === 'job-progressed' && event.done > 0) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const cancelled = await service.call('job.cancel', { jobId: 'h2-cancel' });
    expect(cancelled).toEqual({ ok: true, value: { cancelled: true } });
    const started = Date.now();
    const result = await running;
    // uncancelled, the run would go on for 200 × 200 ms = 40 s: half of that leaves room for a loaded machine
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(result.requests.length).toBeGreaterThan(0);
    expect(result.requests.length).toBeLessThan(200);
  });

  it('refuses bad settings and unknown presets in plain words, and other hosts in the web mode', async () => {
    const { service } = open('web');
    expect(await service.call('http2.run', { config: { requests: 0 } })).toMatchObject({
      ok: false,
      error: { code: 'invalid-config', message: expect.stringContaining('requests') },
    });
    expect(await service.call('http2.run', { preset: 'nope' })).toMatchObject({ ok: false, error: { code: 'unknown-preset' } });
    expect(await service.call('http2.run', { config: { url: 'https://example.com/' } })).toMatchObject({
      ok: false,
      error: { code: 'target-refused' },
    });
  });

  it('a URL with nothing listening: every attempt fails with a reason, and the explanation says so', async () => {
    const { service } = open();
    const result = await runHttp2(service, { config: { url: 'http://127.0.0.1:9/', requests: 2 } });
    expect(result.answered).toBe(0);
    expect(result.requests.every((request) => request.error !== null)).toBe(true);
    expect(explainHttp2Run(result)[0]!.kind).toBe('failed');
  });
});
