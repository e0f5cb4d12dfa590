/** The HTTP/2 lab through the one door (createService → `http2.run`), for the integration tests. */
import { afterEach } from 'vitest';
import type { EngineEvent, Result } from '@shared/api';
import { createService, type Service } from '@engine/service';

export type Http2Run = Result<'http2.run'>;

/**
 * Services opened by `open()`, disposed after each test of the file that calls this (at its top
 * level); returns `open`, which starts one and collects every event it emits.
 */
export function servicesDisposedAfterEach(): (mode?: 'cli' | 'web') => { service: Service; events: EngineEvent[] } {
  const services: Service[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.dispose()));
  });
  return (mode = 'cli') => {
    const service = createService({ mode });
    services.push(service);
    const events: EngineEvent[] = [];
    service.onEvent((event) => events.push(event));
    return { service, events };
  };
}

/** Runs `http2.run`; throws the service's error (code: message) when it fails. */
export async function runHttp2(service: Service, params: Record<string, unknown>): Promise<Http2Run> {
  const outcome = await service.call('http2.run', params);
  if (!outcome.ok) throw new Error(`${outcome.error.code}: ${outcome.error.message}`);
  return outcome.value as Http2Run;
}
