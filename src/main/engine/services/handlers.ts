/**
 * The one handler table: every contract method (src/shared/api.ts) mapped to the function that
 * answers it. Typed as `Handlers<Methods>`, so a method added to the contract without a handler
 * here fails the type check instead of answering `not-implemented` at run time.
 */
import type { ApiResult, Methods } from '@shared/api';
import { createAppHandlers } from './app';
import { createCaptureHandlers } from './capture';
import { createCliHandlers } from './cli';
import type { Handlers, ServiceContext } from './context';
import { createCorrelateHandlers } from './correlate';
import { createHarHandlers } from './har';
import { createHttpHandlers } from './http';
import { createHttp2Handlers } from './http2';
import { createLearnHandlers } from './learn';
import { createReportHandlers } from './report';
import { createSessionHandlers } from './session';
import { createTcpHandlers } from './tcp';

/** `call` is the service's own door: lessons run the other methods through it, checks and all. */
export function createHandlers(
  ctx: ServiceContext,
  call: (name: unknown, params: unknown) => Promise<ApiResult<unknown>>,
): Handlers<Methods> {
  return {
    ...createAppHandlers(ctx),
    ...createSessionHandlers(ctx),
    ...createHttpHandlers(ctx),
    ...createReportHandlers(ctx),
    ...createTcpHandlers(ctx),
    ...createCaptureHandlers(ctx),
    ...createCorrelateHandlers(ctx),
    ...createLearnHandlers(ctx, call),
    ...createHarHandlers(ctx),
    ...createHttp2Handlers(ctx),
    ...createCliHandlers(ctx),
  };
}
