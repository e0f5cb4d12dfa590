/**
 * The settings of `http.run` as a form. The essentials (target, client, keep-alive,
 * body handling, load) are always visible; the finer server and client options
 * sit in two disclosure sections so the form fits beside the results.
 */
import { HTTP_MAX_REQUESTS, type HttpRunConfig } from '@shared/api-http';
import { CheckField, NumberField, SelectField, TextField } from './form-fields';
import { setHttpField } from './http-form-model';
import { HttpTlsFields } from './HttpTlsFields';

interface Props {
  form: HttpRunConfig;
  onChange: (form: HttpRunConfig) => void;
  disabled: boolean;
}

const BODY_OPTIONS = [
  { value: 'drain', label: 'drain — read to the end' },
  { value: 'ignore', label: 'ignore — never read it' },
  { value: 'destroy', label: 'destroy — abort it' },
  { value: 'partial', label: 'partial — read some, then abort' },
] as const;

const SCHEDULE_OPTIONS = [
  { value: 'rounds', label: 'in rounds' },
  { value: 'steady', label: 'steadily' },
] as const;

const SCHEDULE_HINT = {
  rounds: 'the next round when all have ended',
  steady: 'a new one as soon as one ends',
} as const;

export function HttpSettingsForm({ form, onChange, disabled }: Props) {
  const set = (path: string) => (value: unknown) => onChange(setHttpField(form, path, value));
  const embedded = form.url === null;
  const agent = form.client === 'agent';
  return (
    <div className="http-form">
      <fieldset className="form-group">
        <legend>Target</legend>
        <SelectField
          label="Server"
          value={embedded ? 'embedded' : 'url'}
          options={[
            { value: 'embedded', label: 'embedded (loopback)' },
            { value: 'url', label: 'a URL' },
          ]}
          onChange={(value) => onChange({ ...form, url: value === 'embedded' ? null : 'http://127.0.0.1:8080/' })}
          disabled={disabled}
        />
        {embedded ? (
          <NumberField
            label="Server keep-alive timeout"
            term="serverKeepAliveTimeout"
            unit="ms"
            value={form.server.keepAliveTimeoutMs}
            onChange={set('server.keepAliveTimeoutMs')}
            min={0}
            disabled={disabled}
          />
        ) : (
          <TextField
            label="URL"
            type="url"
            value={form.url ?? ''}
            onChange={set('url')}
            placeholder="http://127.0.0.1:8080/"
            disabled={disabled}
          />
        )}
        <HttpTlsFields form={form} onChange={onChange} disabled={disabled} />
      </fieldset>

      <fieldset className="form-group">
        <legend>Client</legend>
        <SelectField
          label="Client"
          value={form.client}
          options={[
            { value: 'agent', label: 'Node http.Agent' },
            { value: 'undici', label: 'undici (fetch’s engine)' },
          ]}
          onChange={set('client')}
          disabled={disabled}
        />
        {agent ? (
          <CheckField
            label="Keep-alive (agent keepAlive)"
            term="keepAlive"
            checked={form.agent.keepAlive}
            onChange={set('agent.keepAlive')}
            disabled={disabled}
          />
        ) : (
          <NumberField
            label="Pipelining (0 = keep-alive off)"
            term="pipelining"
            value={form.undici.pipelining}
            onChange={set('undici.pipelining')}
            min={0}
            max={100}
            disabled={disabled}
          />
        )}
        <SelectField
          label="Response body"
          term="bodyMode"
          value={form.body}
          options={BODY_OPTIONS}
          onChange={set('body')}
          disabled={disabled}
        />
        {form.body === 'partial' ? (
          <NumberField
            label="Read at most"
            unit="bytes"
            value={form.partialBytes}
            onChange={set('partialBytes')}
            min={0}
            disabled={disabled}
          />
        ) : null}
      </fieldset>

      <fieldset className="form-group form-group-wide">
        <legend>Load</legend>
        <NumberField
          label="Requests"
          value={form.requests}
          onChange={set('requests')}
          min={1}
          max={HTTP_MAX_REQUESTS}
          disabled={disabled}
        />
        <NumberField
          label="Concurrency"
          term="concurrency"
          value={form.concurrency}
          onChange={set('concurrency')}
          min={1}
          max={256}
          disabled={disabled}
        />
        <SelectField
          label="Start requests"
          hint={SCHEDULE_HINT[form.schedule]}
          value={form.schedule}
          options={SCHEDULE_OPTIONS}
          onChange={set('schedule')}
          disabled={disabled}
        />
        <NumberField
          label={form.schedule === 'steady' ? 'Pause before each next request' : 'Pause between rounds'}
          unit="ms"
          value={form.intervalMs}
          onChange={set('intervalMs')}
          min={0}
          disabled={disabled}
        />
        <NumberField label="Timeout per request" unit="ms" value={form.timeoutMs} onChange={set('timeoutMs')} min={1} disabled={disabled} />
      </fieldset>

      <div className="form-more-row">
        <details className="form-more">
          <summary>{agent ? 'More http.Agent options' : 'More undici options'}</summary>
          <div className="form-more-grid">
            {agent ? (
              <>
                <NumberField
                  label="keepAliveMsecs (TCP keepalive idle)"
                  term="keepAliveMsecs"
                  unit="ms"
                  value={form.agent.keepAliveMsecs}
                  onChange={set('agent.keepAliveMsecs')}
                  min={0}
                  disabled={disabled}
                />
                <NumberField
                  label="maxSockets"
                  term="maxSockets"
                  value={form.agent.maxSockets}
                  onChange={set('agent.maxSockets')}
                  nullable
                  placeholder="no limit"
                  min={1}
                  disabled={disabled}
                />
                <NumberField
                  label="maxFreeSockets"
                  term="maxFreeSockets"
                  value={form.agent.maxFreeSockets}
                  onChange={set('agent.maxFreeSockets')}
                  min={0}
                  disabled={disabled}
                />
                <NumberField
                  label="Socket timeout (idle)"
                  term="agentTimeout"
                  unit="ms"
                  value={form.agent.timeoutMs}
                  onChange={set('agent.timeoutMs')}
                  nullable
                  placeholder="none"
                  min={1}
                  disabled={disabled}
                />
                <SelectField
                  label="Scheduling"
                  term="scheduling"
                  value={form.agent.scheduling}
                  options={[
                    { value: 'lifo', label: 'lifo (most recent socket)' },
                    { value: 'fifo', label: 'fifo (oldest socket)' },
                  ]}
                  onChange={set('agent.scheduling')}
                  disabled={disabled}
                />
              </>
            ) : (
              <>
                <NumberField
                  label="keepAliveTimeout"
                  term="undiciKeepAliveTimeout"
                  unit="ms"
                  value={form.undici.keepAliveTimeoutMs}
                  onChange={set('undici.keepAliveTimeoutMs')}
                  min={1}
                  disabled={disabled}
                />
                <NumberField
                  label="Connections"
                  term="undiciConnections"
                  value={form.undici.connections}
                  onChange={set('undici.connections')}
                  nullable
                  placeholder="no limit"
                  min={1}
                  disabled={disabled}
                />
              </>
            )}
            <CheckField
              label="Retry once on a reset of a reused connection"
              checked={form.retryReusedReset}
              onChange={set('retryReusedReset')}
              disabled={disabled}
            />
            <SelectField
              label="Method"
              value={form.method}
              options={[
                { value: 'GET', label: 'GET' },
                { value: 'POST', label: 'POST' },
              ]}
              onChange={set('method')}
              disabled={disabled}
            />
          </div>
        </details>

        {embedded ? (
          <details className="form-more">
            <summary>More server options</summary>
            <div className="form-more-grid">
              <NumberField
                label="Body size"
                unit="bytes"
                value={form.server.bodyBytes}
                onChange={set('server.bodyBytes')}
                min={0}
                disabled={disabled}
              />
              <CheckField label="Chunked body" checked={form.server.chunked} onChange={set('server.chunked')} disabled={disabled} />
              <CheckField
                label="Send the Keep-Alive: timeout hint"
                term="keepAliveHint"
                checked={form.server.keepAliveHint}
                onChange={set('server.keepAliveHint')}
                disabled={disabled}
              />
              <NumberField
                label="Delay before headers"
                unit="ms"
                value={form.server.headersDelayMs}
                onChange={set('server.headersDelayMs')}
                min={0}
                disabled={disabled}
              />
              <NumberField
                label="Delay between chunks"
                unit="ms"
                value={form.server.chunkDelayMs}
                onChange={set('server.chunkDelayMs')}
                min={0}
                disabled={disabled}
              />
              <NumberField
                label="Connection: close every Nth response (0 = never)"
                value={form.server.closeEveryNth}
                onChange={set('server.closeEveryNth')}
                min={0}
                disabled={disabled}
              />
              <SelectField
                label="Stale-connection race"
                term="staleRace"
                value={form.server.staleRace}
                options={[
                  { value: 'off', label: 'off (close idle connections on a timer)' },
                  { value: 'fin', label: 'close with FIN as the next request arrives' },
                  { value: 'rst', label: 'close with RST as the next request arrives' },
                ]}
                onChange={set('server.staleRace')}
                disabled={disabled}
              />
            </div>
          </details>
        ) : null}
      </div>
    </div>
  );
}
