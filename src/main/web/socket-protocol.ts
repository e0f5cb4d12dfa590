/**
 * The web-mode wire protocol, one JSON object per WebSocket message:
 *   browser → engine  { token: string }                       (first message, nothing before it is answered)
 *   engine → browser  { ready: { page: string } }             (the page's id, for its uploads)
 *   browser → engine  { id: number, method: "domain.verb", params: {…} }
 *   engine → browser  { id, result: { ok: true, value } | { ok: false, error: { code, message } } }
 *   engine → browser  { event: EngineEvent }                  (pushed, no id; only this page's jobs)
 * A malformed message gets a clear `bad-message` error and the socket stays usable.
 */
import { z } from 'zod';
import { describeZodError } from '@shared/api';
import type { ServiceScope } from '../engine/service';

export const RequestEnvelopeSchema = z
  .object({
    id: z.number().int().nonnegative(),
    method: z.string().max(100),
    params: z.unknown().optional(),
  })
  .strict();

export async function handleSocketMessage(scope: Pick<ServiceScope, 'call'>, text: string, reply: (text: string) => void): Promise<void> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    reply(JSON.stringify({ id: null, result: { ok: false, error: { code: 'bad-message', message: 'message is not valid JSON' } } }));
    return;
  }
  const envelope = RequestEnvelopeSchema.safeParse(json);
  if (!envelope.success) {
    const id = typeof (json as { id?: unknown })?.id === 'number' ? (json as { id: number }).id : null;
    reply(
      JSON.stringify({
        id,
        result: { ok: false, error: { code: 'bad-message', message: `bad message: ${describeZodError(envelope.error)}` } },
      }),
    );
    return;
  }
  const result = await scope.call(envelope.data.method, envelope.data.params);
  reply(JSON.stringify({ id: envelope.data.id, result }));
}
