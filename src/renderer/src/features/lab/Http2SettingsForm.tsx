/**
 * The settings of `http2.run` that a learner varies: the client's load, body handling, PINGs,
 * TLS and resumption, and the lab server's stream limit, idle timeout and PING allowance. A
 * scenario fills them; any change runs as custom settings.
 */
import type { Http2RunConfig } from '@shared/api-http2';
import type { FieldLabels } from '@shared/plain-errors';
import { CheckField, NumberField, SelectField } from './form-fields';

/** The fields as the form names them, for the problems line (plain-errors.ts). */
export const HTTP2_CONFIG_LABELS: FieldLabels = {
  requests: { label: 'Requests' },
  concurrency: { label: 'At once' },
  pingIntervalMs: { label: 'PING every', unit: 'ms' },
  pauseMs: { label: 'Pause before each request', unit: 'ms' },
  'server.maxConcurrentStreams': { label: 'Server stream limit' },
  'server.idleTimeoutMs': { label: 'Server idle timeout', unit: 'ms' },
  'server.maxPingsPerWindow': { label: 'PINGs the server allows' },
  'server.pingWindowMs': { label: 'per', unit: 'ms' },
};

interface Props {
  form: Http2RunConfig;
  onChange: (form: Http2RunConfig) => void;
  disabled: boolean;
}

export function Http2SettingsForm({ form, onChange, disabled }: Props) {
  const set =
    <K extends keyof Http2RunConfig>(key: K) =>
    (value: Http2RunConfig[K]) =>
      onChange({ ...form, [key]: value });
  const setServer =
    <K extends keyof Http2RunConfig['server']>(key: K) =>
    (value: Http2RunConfig['server'][K]) =>
      onChange({ ...form, server: { ...form.server, [key]: value } });
  return (
    <div className="http-form">
      <fieldset className="form-group">
        <legend>Client</legend>
        <SelectField
          label="HTTP/2 client"
          hint={
            form.client === 'undici'
              ? 'undici does not expose stream ids: they come from the lab server’s record'
              : 'the lab drives the streams and sends refused ones again'
          }
          value={form.client}
          options={[
            { value: 'node-http2', label: 'node:http2 sessions' },
            { value: 'undici', label: 'undici Pool, allowH2' },
          ]}
          onChange={set('client')}
          disabled={disabled}
        />
        <NumberField
          label="Requests"
          value={form.requests}
          min={1}
          max={10_000}
          onChange={(value) => set('requests')(value ?? Number.NaN)}
          disabled={disabled}
        />
        <NumberField
          label="At once"
          hint="requests in flight together"
          value={form.concurrency}
          min={1}
          max={256}
          onChange={(value) => set('concurrency')(value ?? Number.NaN)}
          disabled={disabled}
        />
        <SelectField
          label="Response body"
          value={form.body}
          options={[
            { value: 'drain', label: 'drain — read to the end' },
            { value: 'ignore', label: 'ignore — never read it' },
          ]}
          onChange={set('body')}
          disabled={disabled}
        />
        <NumberField
          label="PING every"
          unit="ms"
          nullable
          placeholder="no PINGs"
          value={form.pingIntervalMs}
          min={10}
          onChange={set('pingIntervalMs')}
          disabled={disabled}
        />
        <NumberField
          label="Pause before each request"
          unit="ms"
          value={form.pauseMs}
          min={0}
          onChange={(value) => set('pauseMs')(value ?? Number.NaN)}
          disabled={disabled}
        />
        <CheckField label="TLS (h2 with ALPN)" hint="off: cleartext h2c" checked={form.tls} onChange={set('tls')} disabled={disabled} />
        <CheckField
          label="Resume TLS sessions"
          checked={form.resumeSessions}
          onChange={set('resumeSessions')}
          disabled={disabled || !form.tls}
        />
        <CheckField
          label="Wait for the server’s SETTINGS"
          hint="off: a burst may exceed its limit"
          checked={form.waitForSettings}
          onChange={set('waitForSettings')}
          disabled={disabled}
        />
      </fieldset>
      <fieldset className="form-group">
        <legend>Lab server</legend>
        <NumberField
          label="Server stream limit"
          hint="SETTINGS_MAX_CONCURRENT_STREAMS"
          value={form.server.maxConcurrentStreams}
          min={1}
          max={1000}
          onChange={(value) => setServer('maxConcurrentStreams')(value ?? Number.NaN)}
          disabled={disabled}
        />
        <NumberField
          label="Server idle timeout"
          hint="then GOAWAY NO_ERROR"
          unit="ms"
          nullable
          placeholder="never"
          value={form.server.idleTimeoutMs}
          min={1}
          onChange={setServer('idleTimeoutMs')}
          disabled={disabled}
        />
        <NumberField
          label="PINGs the server allows"
          hint="more: GOAWAY ENHANCE_YOUR_CALM"
          nullable
          placeholder="any number"
          value={form.server.maxPingsPerWindow}
          min={0}
          onChange={setServer('maxPingsPerWindow')}
          disabled={disabled}
        />
        <NumberField
          label="per"
          unit="ms"
          value={form.server.pingWindowMs}
          min={1}
          onChange={(value) => setServer('pingWindowMs')(value ?? Number.NaN)}
          disabled={disabled}
        />
      </fieldset>
    </div>
  );
}
