/**
 * The HTTP/2 lab: pick a scenario, Run / Stop, and see what HTTP/2 changes about keeping
 * connections — one connection carrying every request as a stream, streams waiting for a slot,
 * PING and GOAWAY on the timeline — then read what happened with the measured values. Every
 * finished run joins the page's runs: Compare puts it beside any other, HTTP/1.1 ones included.
 */
import { useEffect, useId, useMemo, useState } from 'react';
import { Http2RunConfigSchema, type Http2Preset, type Http2RunConfig, type Http2RunResult } from '@shared/api-http2';
import { plainProblems } from '@shared/plain-errors';
import { useApi } from '@renderer/api/api-context';
import { useJobEvents } from '@renderer/api/use-engine-events';
import { HTTP2_CONFIG_LABELS, Http2SettingsForm } from './Http2SettingsForm';
import { HttpCompare } from './HttpCompare';
import { http2ConnectionRows, http2Counters } from './http2-rows';
import { Http2CounterList, Http2Explanations } from './Http2RunParts';
import { ResultsSwitch, useLabRuns } from './lab-runs';
import { LabTimeline, useSessionTimeline } from './LabTimeline';
import { sessionFromStream } from './live-session';
import { RunStatus } from './RunStatus';
import { useLabJob } from './use-lab-job';

/** A scenario's settings with every default filled in, as the form holds them. */
function configOf(preset: Http2Preset): Http2RunConfig {
  return Http2RunConfigSchema.parse(preset.config);
}

export function Http2LabPanel() {
  const { api } = useApi();
  const id = useId();
  const [presets, setPresets] = useState<Http2Preset[]>([]);
  const [presetError, setPresetError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string>('');
  const [form, setForm] = useState<Http2RunConfig>(() => Http2RunConfigSchema.parse({}));
  const run = useLabJob<Http2RunResult>('http2');
  const { runs, pair, setPair, keep } = useLabRuns();
  const [shown, setShown] = useState<'run' | 'compare'>('run');
  const pick = (picked: Http2Preset) => {
    setChosen(picked.name);
    setForm(configOf(picked));
  };
  const live = useJobEvents(run.state.status === 'running' ? run.state.jobId : null);
  const busy = run.state.status === 'running';
  const result = run.state.result;

  useEffect(() => {
    let active = true;
    void api.call('http2.presets', {}).then((answer) => {
      if (!active) return;
      if (!answer.ok) return setPresetError(answer.error.message);
      setPresets(answer.value);
      const first = answer.value[0];
      if (first) pick(first);
    });
    return () => {
      active = false;
    };
  }, [api]);

  const preset = presets.find((candidate) => candidate.name === chosen) ?? null;
  const changed = useMemo(() => preset !== null && JSON.stringify(configOf(preset)) !== JSON.stringify(form), [preset, form]);
  const problems = useMemo(() => {
    const parsed = Http2RunConfigSchema.safeParse(form);
    return parsed.success ? [] : plainProblems(parsed.error.issues, HTTP2_CONFIG_LABELS);
  }, [form]);
  // while the run goes, its trace as streamed so far (services/http2.ts); then the result's own
  const liveSession = useMemo(() => (busy ? sessionFromStream(live, 'http-lab', 'HTTP/2 run') : null), [busy, live]);
  const model = useSessionTimeline(result?.session ?? liveSession);
  const counters = http2Counters(result, live.progress, busy ? live.stats : null);
  const rows = result ? http2ConnectionRows(result) : [];

  const start = async () => {
    setShown('run');
    const finished = await run.start((jobId) => api.call('http2.run', { config: form, jobId }));
    // listed for Compare under its scenario's title, unless the settings were changed from it
    if (finished) keep({ run: { protocol: 'http2', result: finished }, scenario: changed ? null : (preset?.title ?? null) });
  };

  return (
    <section className="card lab-panel" aria-labelledby={`${id}-title`}>
      <div className="lab-panel-head">
        <h3 id={`${id}-title`}>HTTP/2 lab</h3>
        <p className="muted">Real HTTP/2 over loopback, to the lab’s own server: one connection, many streams, PING and GOAWAY.</p>
      </div>
      {presetError ? (
        <p className="error-box" role="alert">
          Scenarios unavailable: {presetError}
        </p>
      ) : null}
      <div className="lab-controls">
        <div className="preset-picker">
          <label htmlFor={`${id}-preset`}>Scenario</label>
          <select
            id={`${id}-preset`}
            value={chosen}
            disabled={busy || presets.length === 0}
            aria-describedby={`${id}-lesson`}
            data-testid="http2-preset"
            onChange={(event) => {
              const picked = presets.find((candidate) => candidate.name === event.target.value);
              if (picked) pick(picked);
            }}
          >
            {presets.map((candidate) => (
              <option key={candidate.name} value={candidate.name}>
                {candidate.title}
              </option>
            ))}
          </select>
          <p id={`${id}-lesson`} className="preset-lesson" data-testid="http2-lesson">
            {changed ? `Changed from this scenario: ${preset?.lesson ?? ''}` : (preset?.lesson ?? '')}
          </p>
        </div>
        <div className="lab-buttons">
          <button type="button" className="primary" onClick={() => void start()} disabled={busy || problems.length > 0}>
            Run
          </button>
          <button type="button" onClick={() => void run.stop()} disabled={!busy}>
            Stop
          </button>
        </div>
      </div>

      <Http2SettingsForm form={form} onChange={setForm} disabled={busy} />
      {problems.length > 0 ? (
        <p className="error-box" role="alert" data-testid="form-problems">
          Check the settings: {problems.join('; ')}
        </p>
      ) : null}
      <ResultsSwitch shown={shown} runs={runs.length} onShown={setShown} />
      {shown === 'compare' ? (
        <div className="lab-results" aria-label="Comparison">
          <HttpCompare runs={runs} pair={pair} onPair={setPair} live={null} />
        </div>
      ) : (
        <div className="lab-results" aria-label="Results of the HTTP/2 run">
          <RunStatus
            state={run.state}
            progress={busy && live.progress ? live.progress : null}
            durationMs={result ? Math.round(result.durationMs) : null}
          />
          {run.state.error ? (
            <p className="error-box" role="alert" data-testid="run-error">
              The run could not start: {run.state.error}
            </p>
          ) : null}
          <Http2CounterList counters={counters} label="Counters of the HTTP/2 run" testIdPrefix="http2-" />
          <LabTimeline model={model} label="Connections of the HTTP/2 run; each bar is a stream" protocol="http2" />
          <div>
            <h4>Connections</h4>
            {rows.length === 0 ? (
              <p className="muted">After the run, a row per connection: its handshakes, streams, PINGs and GOAWAY.</p>
            ) : (
              <div className="http2-connections" tabIndex={0} role="region" aria-label="Connections of the HTTP/2 run">
                <table className="data-table" data-testid="http2-connections">
                  <caption className="visually-hidden">Connections of the HTTP/2 run</caption>
                  <thead>
                    <tr>
                      <th scope="col">Connection</th>
                      <th scope="col">Opened</th>
                      <th scope="col">TCP connect</th>
                      <th scope="col">TLS</th>
                      <th scope="col">Streams</th>
                      <th scope="col">PINGs</th>
                      <th scope="col">GOAWAY</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((row) => (
                      <tr key={row.id}>
                        <th scope="row">{row.id}</th>
                        <td>{row.opened}</td>
                        <td>{row.connect}</td>
                        <td>{row.tls}</td>
                        <td>{row.streams}</td>
                        <td>{row.pings}</td>
                        <td>{row.goaway}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
          <div>
            <h4>What happened</h4>
            {result ? (
              <Http2Explanations result={result} testId="http2-explanations" />
            ) : (
              <p className="muted">After the run, a plain-words account of what the connections and streams did appears here.</p>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
