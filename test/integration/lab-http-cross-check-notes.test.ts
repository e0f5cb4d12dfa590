/**
 * The lab's cross-check notes on a real run queued behind maxSockets: Node's req.reusedSocket is
 * false for every request that waited in the agent's queue (the Agent sets it only when addRequest
 * hands over an idle socket), while the client sent each on a socket it had used before. One note
 * says so for all of them, with the reason, instead of one note per request.
 */
import { describe, expect, it } from 'vitest';
import { runHttpLoop } from '@engine/lab/http-loop';
import { HttpRunConfigSchema } from '@shared/api-http';

describe('cross-check notes of a run queued behind maxSockets', () => {
  it('one note lists every queued request whose reusedSocket flag said new, and says why', async () => {
    const result = await runHttpLoop(
      HttpRunConfigSchema.parse({ requests: 12, concurrency: 6, agent: { maxSockets: 2 }, server: { headersDelayMs: 20 } }),
    );
    expect(result.errors).toBe(0);
    const queued = result.requests.filter((request) => request.waitedForPool !== undefined && request.reused === true);
    expect(queued.length).toBeGreaterThan(1);
    const flagNotes = result.notes.filter((note) => note.includes('req.reusedSocket'));
    expect(flagNotes).toHaveLength(1);
    const listed = /^Requests ([\d, and]+): /.exec(flagNotes[0]!)?.[1] ?? '';
    const numbers = listed.split(/, | and /).map(Number);
    expect(numbers).toEqual(queued.filter((request) => request.reuseSignals.reusedSocket === false).map((request) => request.index));
    expect(flagNotes[0]).toContain('waited in the agent’s queue for a socket another request freed');
  });
});
