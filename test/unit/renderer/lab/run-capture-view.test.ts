import { describe, expect, it } from 'vitest';
import { RunCaptureSchema, type CorrelatedCapture, type RunCapture } from '@shared/api-correlate';
import { captureView } from '@renderer/features/lab/run-capture-view';

// Shapes as the engine fills them (checked against the contract's schema first).
const captured: RunCapture = RunCaptureSchema.parse({
  status: 'captured',
  file: null,
  filter: 'tcp port 43693',
  packets: 33,
  streams: 1,
  matched: 1,
  unmatched: 0,
  keepAlives: 5,
  findings: [
    { code: 'close-crossed-request', conn: 'c1', stream: 0, frames: [1, 2, 3, 4, 5, 6, 7], message: 'the server’s FIN crossed request 2' },
  ],
  connections: [{ conn: 'c1', stream: 0, offsetMs: 0.4 }],
  unmatchedConnections: [],
  unmatchedStreams: [],
  lanes: [
    {
      conn: 'c1',
      stream: 0,
      packets: 33,
      keepAlives: 5,
      keepAliveAcks: 5,
      probeTimesMs: [1, 2, 3, 4, 5],
      probesFrom: 'a',
      retransmissions: 0,
      end: 'fin',
    },
  ],
  requests: [],
  warnings: [],
});

describe('captureView', () => {
  it('says how many probes were on the wire and on which connection', () => {
    const view = captureView(captured);
    expect(view.headline).toBe('Captured 33 packets: 5 keep-alive probes on the wire.');
    expect(view.details).toEqual([
      '1 connection of the run matched to 1 TCP stream on the wire.',
      'Keep-alive probes per connection — c1: 5 probes, 5 ACKs.',
    ]);
    expect(view.status === 'captured' && view.findings).toEqual(['the server’s FIN crossed request 2 (frames 1, 2, 3, 4, 5, 6, …)']);
  });

  it('over TLS says why no request has frames, and what it read of the handshakes (one connection, or none read)', () => {
    const one = captureView({
      ...(captured as CorrelatedCapture),
      encrypted: { connections: 1, requests: 5, handshakes: 1, resumed: 0, version: 'TLS 1.2' },
    });
    expect(one.status === 'captured' && one.encrypted).toEqual({
      headline:
        'Requests not matched to frames: the run’s connection spoke TLS, so its requests and responses travel encrypted and the capture cannot tell which frames carried each of the 5 requests (the lab’s own timings still hold).',
      detail: 'The TLS handshakes travel in clear and were read: 1 handshake, none resumed (TLS 1.2).',
    });
    const late = captureView({
      ...(captured as CorrelatedCapture),
      encrypted: { connections: 2, requests: 2, handshakes: 0, resumed: 0, version: null },
    });
    expect(late.status === 'captured' && late.encrypted && late.encrypted.detail).toBe(
      'The capture read none of their TLS handshakes: they were done before it started, or were not captured.',
    );
    expect(captureView(captured).status === 'captured' && (captureView(captured) as { encrypted: unknown }).encrypted).toBeNull();
  });

  it('says why there is no capture and how to enable it', () => {
    const view = captureView({
      status: 'unavailable',
      code: 'missing',
      message: 'tcpdump is not installed',
      howToEnable: 'apt-get install tcpdump',
    });
    expect(view).toEqual({ status: 'unavailable', headline: 'No capture: tcpdump is not installed', details: ['apt-get install tcpdump'] });
  });
});
