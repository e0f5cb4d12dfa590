/** A ServiceContext for calling handlers directly: a real job registry and session log, pushed events collected. */
import type { EngineEvent } from '@shared/api';
import { Budget, createJobRegistry } from '@engine/jobs';
import type { ServiceContext } from '@engine/services/context';
import { SessionLog } from '@engine/session-log';

export function serviceContext(): ServiceContext & { events: EngineEvent[] } {
  const events: EngineEvent[] = [];
  return {
    events,
    emit: (event) => events.push(event),
    jobs: createJobRegistry(),
    listenerBudget: new Budget('listeners', 32, 'stop one'),
    mode: 'cli',
    sessions: new SessionLog(),
    dataDir: '/tmp',
    onDispose: () => undefined,
  };
}
