/** The session handlers: the bundle of everything run and seen so far, for reports. */
import { sessionMethods } from '@shared/api';
import { createReportBundle, type ReportBundle } from '@shared/report-model';
import { getInfo } from './app';
import type { Handlers, ServiceContext } from './context';

/** Everything this scope ran and opened, as a report bundle. */
export async function currentBundle(ctx: ServiceContext): Promise<ReportBundle> {
  return createReportBundle({ app: await getInfo(ctx.mode), ...ctx.sessions.snapshot() });
}

export function createSessionHandlers(ctx: ServiceContext): Handlers<typeof sessionMethods> {
  return {
    'session.bundle': () => currentBundle(ctx),
    'session.clear': async () => {
      ctx.sessions.clear();
      return { cleared: true };
    },
  };
}
