/** Every room's handler factory, composed by service.ts into one table. */
import { createAppHandlers } from './app';
import type { ServiceContext } from './context';

export const roomHandlerFactories: Array<(ctx: ServiceContext) => object> = [createAppHandlers];
