/**
 * The TLS explanations, fed the figures of real runs: `keepalive-lab http --preset tls-ignored-body`
 * on this machine measured c1 1.7 ms TCP connect + 2.7 ms full TLS 1.3 handshake, then c2…c10
 * 0.36–0.69 ms connects and 0.49–0.72 ms resumed handshakes (the numbers below).
 */
import { describe, expect, it } from 'vitest';
import { explainTlsRun, tlsFindings, type TlsConnectionInput } from '@shared/explain-tls';
import { UNKNOWN_VALUE_TEXT } from '@shared/explain';

const full = (connectMs: number, handshakeMs: number): TlsConnectionInput => ({
  connectMs,
  tls: { version: 'TLS 1.3', alpn: null, resumed: false, handshakeMs },
});
const resumed = (connectMs: number, handshakeMs: number): TlsConnectionInput => ({
  connectMs,
  tls: { version: 'TLS 1.3', alpn: null, resumed: true, handshakeMs },
});

/** tls-ignored-body as measured: ten connections, the first full, nine resumed */
const ignoredBody: TlsConnectionInput[] = [
  full(1.7, 2.7),
  resumed(0.69, 0.55),
  resumed(0.51, 0.53),
  resumed(0.43, 0.51),
  resumed(0.51, 0.6),
  resumed(0.47, 0.65),
  resumed(0.39, 0.51),
  resumed(0.36, 0.49),
  resumed(0.44, 0.72),
  resumed(0.38, 0.63),
];

function texts(rendered: ReturnType<typeof explainTlsRun>): string {
  return rendered.map((entry) => [entry.title, entry.whatYouSee, entry.whyConcluded, entry.tryNext].join('\n')).join('\n');
}

describe('TLS explanations of a run', () => {
  it('ten new connections for ten requests: each paid TCP + TLS, and one kept-alive connection would pay it once', () => {
    const rendered = explainTlsRun({ connections: ignoredBody, requests: 10, keptAliveConnections: 1, maxCachedSessions: 100 });
    expect(rendered.map((entry) => entry.kind)).toEqual(['tls-handshakes', 'tls-resumption']);
    const [cost, resumption] = rendered;
    expect(cost!.whatYouSee).toBe(
      // 4.4 ms for c1, 9.37 ms for the nine others
      'Each of the 10 new connections paid a TCP connect (0.45 ms) and a TLS 1.3 handshake (0.57 ms, medians) before its first request: 14 ms in all. Kept alive, 1 handshake would serve all 10 requests.',
    );
    expect(resumption!.whatYouSee).toBe(
      'All 9 later handshakes resumed an earlier session and took 0.55 ms (median) instead of the 2.7 ms of a full handshake.',
    );
    expect(resumption!.whyConcluded).toContain('RFC 8446 §4.6.1');
    expect(resumption!.whyConcluded).toContain('§2.2');
    for (const entry of rendered) expect(texts([entry])).not.toContain(UNKNOWN_VALUE_TEXT);
  });

  it('one drained connection: one handshake served all ten requests, and no resumption card (nothing to resume)', () => {
    const rendered = explainTlsRun({ connections: [full(1.7, 2.7)], requests: 10, keptAliveConnections: 1, maxCachedSessions: 100 });
    expect(rendered.map((entry) => entry.kind)).toEqual(['tls-handshake-reused']);
    expect(rendered[0]!.whatYouSee).toBe(
      '1 connection carried 10 requests: one TCP connect (1.7 ms) and one TLS 1.3 handshake (2.7 ms) per connection; the other 9 requests needed neither.',
    );
  });

  it('four connections for a hundred requests at concurrency 4: paid once per connection, medians named', () => {
    const connections = [full(1, 3), resumed(0.5, 1), resumed(0.6, 1.2), resumed(0.4, 0.8)];
    const [reused] = explainTlsRun({ connections, requests: 100, keptAliveConnections: 4, maxCachedSessions: 100 });
    expect(reused!.whatYouSee).toContain('4 connections carried 100 requests');
    expect(reused!.whatYouSee).toContain('one TCP connect (0.55 ms) and one TLS 1.3 handshake (1.1 ms) per connection (medians of 4)');
    expect(reused!.whatYouSee).toContain('the other 96 requests needed neither');
  });

  it('session cache off: every handshake full, and it says why (maxCachedSessions 0)', () => {
    const connections = [full(1.5, 2.6), full(0.5, 1.3), full(0.4, 1.2), full(0.5, 1.1)];
    const findings = tlsFindings({ connections, requests: 4, keptAliveConnections: 4, maxCachedSessions: 0 });
    expect(findings.map((finding) => finding.kind)).toEqual(['tls-handshakes', 'tls-full-handshakes']);
    const rendered = explainTlsRun({ connections, requests: 4, keptAliveConnections: 4, maxCachedSessions: 0 });
    expect(rendered[1]!.whatYouSee).toBe(
      'None of the 3 later handshakes resumed an earlier session: each paid the full TLS 1.3 handshake (1.3 ms, median), certificate and all.',
    );
    expect(rendered[1]!.whyConcluded).toBe(
      'The client kept no TLS sessions (maxCachedSessions 0), so it had no session ticket to offer (RFC 8446 §2.2).',
    );
    // as many connections as the settings need: no promise of fewer handshakes
    expect(rendered[0]!.whatYouSee).not.toContain('would serve');
  });

  it('with the cache on but nothing resumed, it names the likely causes instead of the cache', () => {
    const connections = [full(1.5, 2.6), full(0.5, 2.4)];
    const rendered = explainTlsRun({ connections, requests: 2, keptAliveConnections: 2, maxCachedSessions: 100 });
    expect(rendered[1]!.whyConcluded).toContain('before the first one had received a ticket');
  });

  it('a cleartext run has no TLS explanation; an unmeasured figure reads “(not known)”, never a placeholder', () => {
    expect(
      explainTlsRun({ connections: [{ connectMs: 0.4, tls: null }], requests: 3, keptAliveConnections: 1, maxCachedSessions: null }),
    ).toEqual([]);
    const unfinished: TlsConnectionInput = { connectMs: null, tls: { version: null, alpn: null, resumed: false, handshakeMs: null } };
    const rendered = explainTlsRun({
      connections: [unfinished, unfinished],
      requests: 2,
      keptAliveConnections: null,
      maxCachedSessions: null,
    });
    const all = texts(rendered);
    expect(all).not.toMatch(/[{}[\]]/);
    expect(all).not.toContain(UNKNOWN_VALUE_TEXT);
    expect(all).toContain('Each of the 2 new connections paid a TCP connect and a TLS handshake before its first request.');
  });
});
