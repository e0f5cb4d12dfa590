/** The session handlers: the bundle of everything run and seen so far, for reports. */
import { sessionMethods } from '../../shared/api';
import { createReportBundle } from '../../shared/report-model';
import { getInfo } from './app';
import type { Handlers, ServiceContext } from './context';

export function createSessionHandlers(ctx: ServiceContext): Handlers<typeof sessionMethods> {
  return {
    'session.bundle': async () => createReportBundle({ app: await getInfo(ctx.mode), ...ctx.sessions.snapshot() }),
    'session.clear': async () => {
      ctx.sessions.clear();
      return { cleared: true };
    },
  };
}
