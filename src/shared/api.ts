/**
 * The one contract between the UI and the engine. Every method is named
 * `domain.verb` and has a zod schema for its params and its result; every
 * payload is checked against them at the edge (Electron IPC, web-mode socket).
 * Expected failures travel as data: `{ ok: false, error: { code, message } }`.
 *
 * Each domain keeps its schemas in `api-<domain>.ts`; this file composes them.
 */
import { z } from 'zod';
import { plainProblems, type FieldLabels } from './plain-errors';
import { captureMethods } from './api-capture';
import { cliMethods } from './api-cli';
import { correlateMethods } from './api-correlate';
import { harMethods } from './api-har';
import { httpMethods } from './api-http';
import { learnMethods } from './api-learn';
import { http2Methods } from './api-http2';
import { reportMethods } from './api-report';
import { ReportBundleSchema } from './report-model';
import { tcpMethods } from './api-tcp';
import { ConnectionSchema, TraceEventSchema } from './trace';
import { method } from './api-method';

export const KeepaliveDefaultsSchema = z.object({
  /** /proc/sys/net/ipv4/tcp_keepalive_time, seconds */
  timeS: z.number().nullable(),
  /** /proc/sys/net/ipv4/tcp_keepalive_intvl, seconds */
  intervalS: z.number().nullable(),
  /** /proc/sys/net/ipv4/tcp_keepalive_probes */
  probes: z.number().nullable(),
  /** where the figures came from, or why they are missing */
  source: z.string(),
});
export type KeepaliveDefaults = z.infer<typeof KeepaliveDefaultsSchema>;

export const InfoSchema = z.object({
  appName: z.string(),
  appVersion: z.string(),
  platform: z.string(),
  arch: z.string(),
  nodeVersion: z.string(),
  /** null outside Electron (CLI, web mode) */
  electronVersion: z.string().nullable(),
  /** which transport serves the UI */
  mode: z.enum(['electron', 'web', 'cli']),
  keepaliveDefaults: KeepaliveDefaultsSchema,
});
export type Info = z.infer<typeof InfoSchema>;

export const JobIdSchema = z.string().min(1).max(64);

/**
 * A file the user chose in a native dialog or dropped on the window (desktop app). Both null when the
 * dialog was cancelled.
 */
export const ChosenFileSchema = z.object({
  /** what the engine opens or writes it by: an opaque one-time handle (`file-handle:…`), not the path */
  path: z.string().nullable(),
  /** the file's name as the user chose it (no folders), for titles, reports and messages */
  name: z.string().nullable(),
});
export type ChosenFile = z.infer<typeof ChosenFileSchema>;

export const appMethods = {
  'app.getInfo': method(z.object({}).strict(), InfoSchema),
  /** Cancels a running job (an HTTP run, a capture import, …) by the id its caller chose. */
  'job.cancel': method(z.object({ jobId: JobIdSchema }).strict(), z.object({ cancelled: z.boolean() })),
  /** Native file dialogs: Electron only (the web mode uses the browser's picker and downloads). */
  'file.chooseOpen': method(
    z.object({ title: z.string().max(200), extensions: z.array(z.string().max(16)).max(20) }).strict(),
    ChosenFileSchema,
  ),
  'file.chooseSave': method(
    z.object({ title: z.string().max(200), suggestedName: z.string().max(255), extensions: z.array(z.string().max(16)).max(20) }).strict(),
    ChosenFileSchema,
  ),
};

/** What was run and seen in this app session, as a report bundle ("Export report…"). */
export const sessionMethods = {
  'session.bundle': method(z.object({}).strict(), ReportBundleSchema),
  'session.clear': method(z.object({}).strict(), z.object({ cleared: z.boolean() })),
};

export const methods = {
  ...appMethods,
  ...sessionMethods,
  ...tcpMethods,
  ...httpMethods,
  ...http2Methods,
  ...captureMethods,
  ...harMethods,
  ...correlateMethods,
  ...reportMethods,
  ...learnMethods,
  ...cliMethods,
};
export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type Params<M extends MethodName> = z.input<Methods[M]['params']>;
export type Result<M extends MethodName> = z.output<Methods[M]['result']>;
export const methodNames = Object.keys(methods) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(methods, name);
}

export const ApiErrorSchema = z.object({ code: z.string(), message: z.string() });
export type ApiError = z.infer<typeof ApiErrorSchema>;
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** Events pushed from the engine to the UI. */
export const EngineEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('log-written'), level: z.enum(['debug', 'info', 'warn', 'error']), message: z.string(), atMs: z.number() }),
  z.object({
    kind: z.literal('job-progressed'),
    jobId: JobIdSchema,
    done: z.number(),
    total: z.number().nullable(),
    unit: z.string(),
    note: z.string().optional(),
  }),
  z.object({
    kind: z.literal('trace-appended'),
    jobId: JobIdSchema,
    epochMs: z.number(),
    connections: z.array(ConnectionSchema),
    events: z.array(TraceEventSchema),
  }),
  z.object({ kind: z.literal('stats-updated'), jobId: JobIdSchema, stats: z.record(z.string(), z.unknown()) }),
  z.object({ kind: z.literal('menu-invoked'), command: z.enum(['open-capture', 'export-report']) }),
]);
export type EngineEvent = z.infer<typeof EngineEventSchema>;

/** What the renderer sees, whatever the transport (preload bridge or web socket). */
export interface Api {
  call<M extends MethodName>(name: M, params: Params<M>): Promise<ApiResult<Result<M>>>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
}

/** Checks params against the method's schema; a clear message names the method and the field. */
export function parseParams<M extends MethodName>(name: M, params: unknown): ApiResult<z.output<Methods[M]['params']>> {
  const parsed = methods[name].params.safeParse(params ?? {});
  if (parsed.success) return { ok: true, value: parsed.data as z.output<Methods[M]['params']> };
  return { ok: false, error: { code: 'invalid-params', message: `${name}: ${describeZodError(parsed.error)}` } };
}

/** The problems in plain words ("requests: at least 1"), fields named by `labels` where given (plain-errors.ts). */
export function describeZodError(error: z.ZodError, labels?: FieldLabels): string {
  return plainProblems(error.issues, labels).join('; ');
}
