/**
 * The report's timeline ends where its lanes' content ends, as the app's does: the run's duration
 * also counts its teardown (the lab stops its server and logs its notes after the last close).
 */
import { describe, expect, it } from 'vitest';
import { sessionTimeline } from '@engine/report/render-timeline-svg';
import { summarizeSession } from '@engine/report/session-figures';
import type { Session } from '@shared/trace';
import { drainedSession, ignoredBodySession } from './fixtures';

/** The session with a note logged `afterMs` after its last event, as the lab's closing notes are. */
function withClosingNote(session: Session, afterMs: number): Session {
  const last = session.events.at(-1)!;
  return {
    ...session,
    events: [...session.events, { t: last.t + afterMs * 1000, kind: 'note-logged', level: 'info', message: 'server stopped' }],
  };
}

describe('report timeline axis', () => {
  it('ends 1 % past the last close, not at the closing note 60 ms later', () => {
    const session = withClosingNote(ignoredBodySession(), 60);
    const figures = summarizeSession(session);
    const lastCloseS = Math.max(...figures.perConnection.map((connection) => connection.closedS ?? 0));
    expect(figures.durationS).toBeGreaterThan(lastCloseS + 0.059);
    const model = sessionTimeline(session, figures);
    expect(model.durationS).toBeCloseTo(lastCloseS * 1.01, 9);
    expect(Math.max(...model.lanes.map((lane) => lane.endS))).toBe(lastCloseS);
  });

  it('still reaches the last keep-alive probe and the close after it', () => {
    const session = drainedSession();
    const figures = summarizeSession(session);
    const model = sessionTimeline(session, figures);
    const probes = model.lanes.flatMap((lane) => lane.probes);
    expect(probes).toHaveLength(3);
    expect(model.durationS).toBeGreaterThanOrEqual(Math.max(...probes));
    expect(model.durationS).toBe(figures.durationS);
  });

  it('reaches a connection opened last and left open: its lane never ends before it starts', () => {
    const session = withClosingNote(drainedSession(), 200);
    const figures = summarizeSession(session);
    const first = figures.perConnection[0]!;
    const openedS = Math.max(...figures.perConnection.map((connection) => connection.closedS ?? 0)) + 0.05;
    const late = { ...first, id: 'c9', label: 'conn 9', openedS, closedS: null, closedHow: 'open' as const };
    const model = sessionTimeline(session, { ...figures, perConnection: [...figures.perConnection, late] });
    const lane = model.lanes.find((candidate) => candidate.label === 'conn 9')!;
    expect(lane.endS).toBeGreaterThanOrEqual(lane.startS);
    expect(model.durationS).toBeGreaterThanOrEqual(openedS);
  });
});
