import { describe, expect, it } from 'vitest';
import { runKeepaliveExperiment } from '@engine/lab/tcp-experiments';

describe('probes inferred from the kernel keepalive timer', () => {
  // Regression: the timer also re-arms without probing when it fires before the connection has
  // been idle for idleS; those re-arms were counted as probes (seen at 0.7 s and 0.9 s with idle 1 s).
  it('counts a re-arm as a probe only after the idle time and an interval after the previous probe', async () => {
    const { summary, session } = await runKeepaliveExperiment({ idleS: 1, intervalS: 1, count: 3, holdS: 3.5, close: 'fin' });
    const at = summary.probesInferredAtMs;
    expect(at.length).toBeGreaterThanOrEqual(2);
    expect(at.length).toBeLessThanOrEqual(4);
    expect(at[0]).toBeGreaterThanOrEqual(900);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(900);
    const probes = session.events.filter((e) => e.kind === 'wire-seen' && e.mark === 'keepalive-probe');
    expect(probes).toHaveLength(at.length);
  });
});
