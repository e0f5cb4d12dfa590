/** Every room's handler factory, composed by service.ts into one table. */
import { createAppHandlers } from './app';
import { createCaptureHandlers } from './capture';
import type { ServiceContext } from './context';
import { createCorrelateHandlers } from './correlate';
import { createHttpHandlers } from './http';
import { createHttp2Handlers } from './http2';
import { createReportHandlers } from './report';
import { createSessionHandlers } from './session';
import { createTcpHandlers } from './tcp';

export const roomHandlerFactories: Array<(ctx: ServiceContext) => object> = [
  createAppHandlers,
  createSessionHandlers,
  createHttpHandlers,
  createHttp2Handlers,
  createReportHandlers,
  (ctx) => createTcpHandlers(ctx),
  createCaptureHandlers,
  createCorrelateHandlers,
];
