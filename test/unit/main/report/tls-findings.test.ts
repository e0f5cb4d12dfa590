/** A report of an HTTPS run carries the same TLS explanations the app shows, from the session's trace alone. */
import { describe, expect, it } from 'vitest';
import { HttpRunConfigSchema } from '@shared/api-http';
import { runHttpLoop } from '@engine/lab/http-loop';
import { summarizeSession } from '@engine/report/session-figures';
import { sessionFindingDetails } from '@engine/report/finding-details';
import { explainHttpRun } from '@renderer/features/lab/http-explain';

describe('TLS findings in a report', () => {
  it('six unread bodies over HTTPS: the report and the app read the same TLS sentences', async () => {
    const result = await runHttpLoop(HttpRunConfigSchema.parse({ tls: true, requests: 6, body: 'ignore' }), { sampleOpenSockets: false });
    const figures = summarizeSession(result.session);
    expect(figures.findings).toEqual(expect.arrayContaining(['tls-handshakes', 'tls-resumption']));
    const details = sessionFindingDetails(result.session, figures);
    const reportTls = details.filter((detail) => detail.explanation.kind.startsWith('tls-'));
    const appTls = explainHttpRun(result).filter((card) => card.kind.startsWith('tls-'));
    expect(reportTls.map((detail) => detail.explanation.whatYouSee)).toEqual(appTls.map((card) => card.whatYouSee));
    expect(reportTls[0]!.explanation.whatYouSee).toContain('Kept alive, 1 handshake would serve all 6 requests.');
    expect(reportTls[1]!.seenHere).toBe('6 TLS handshakes, 5 resumed, for 6 requests.');
  }, 30_000);

  it('a cleartext run has no TLS finding', async () => {
    const result = await runHttpLoop(HttpRunConfigSchema.parse({ requests: 3 }), { sampleOpenSockets: false });
    expect(summarizeSession(result.session).findings.some((kind) => kind.startsWith('tls-'))).toBe(false);
  }, 30_000);
});
