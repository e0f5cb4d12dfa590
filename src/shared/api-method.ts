import type { z } from 'zod';

/** One operation of the contract: its params schema and its result schema. */
export interface MethodSpec<P extends z.ZodType, R extends z.ZodType> {
  params: P;
  result: R;
}

export function method<P extends z.ZodType, R extends z.ZodType>(params: P, result: R): MethodSpec<P, R> {
  return { params, result };
}
