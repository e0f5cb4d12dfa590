/**
 * The HTTP lab: pick a scenario (or set every option of `http.run`), Run / Stop,
 * and watch connections open or get reused live — counters, timeline, the
 * per-request table — then read what happened and who closes an idle connection
 * first. Compare runs the form against the scenario's contrast side by side.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { HttpPreset, HttpRunConfig, HttpRunResult } from '../../../../shared/api-http';
import { useApi } from '../../api/api-context';
import { useJobEvents } from '../../api/use-engine-events';
import { CaptureSummary } from './CaptureSummary';
import { CounterStrip } from './CounterStrip';
import { CheckField } from './form-fields';
import { HttpCompare } from './HttpCompare';
import { countersFromResult, countersFromStats } from './http-counters';
import { runFailure } from './http-explain';
import { contrastForm, defaultHttpForm, formFromPreset, httpFormProblems, matchingPreset } from './http-form-model';
import { HttpSettingsForm } from './HttpSettingsForm';
import { LabTimeline, useSessionTimeline } from './LabTimeline';
import { sessionFromStream } from './live-session';
import { PresetPicker } from './PresetPicker';
import { requestRows } from './request-rows';
import { RequestTable } from './RequestTable';
import { RunExplanation } from './RunExplanation';
import { ExportHarButton } from '../har/ExportHarButton';
import { RunStatus } from './RunStatus';
import { useLabJob } from './use-lab-job';

type CompareResult = { a: HttpRunResult; b: HttpRunResult };
const compareIds = (jobId: string) => [`${jobId}-a`, `${jobId}-b`];

export function HttpLabPanel() {
  const { api } = useApi();
  const [presets, setPresets] = useState<HttpPreset[]>([]);
  const [presetError, setPresetError] = useState<string | null>(null);
  const [form, setForm] = useState<HttpRunConfig>(defaultHttpForm);
  const [shown, setShown] = useState<'run' | 'compare'>('run');
  const [compareTitles, setCompareTitles] = useState<[string, string]>(['A', 'B']);
  const [capture, setCapture] = useState(false);
  const run = useLabJob<HttpRunResult>('http');
  const compare = useLabJob<CompareResult>('compare', compareIds);
  const live = useJobEvents(run.state.status === 'running' ? run.state.jobId : null);
  const liveA = useJobEvents(compare.state.status === 'running' && compare.state.jobId ? `${compare.state.jobId}-a` : null);
  const liveB = useJobEvents(compare.state.status === 'running' && compare.state.jobId ? `${compare.state.jobId}-b` : null);

  useEffect(() => {
    let active = true;
    void api.call('http.presets', {}).then((result) => {
      if (!active) return;
      if (!result.ok) return setPresetError(result.error.message);
      setPresets(result.value);
      const first = result.value[0];
      if (first) setForm(formFromPreset(first.config).form);
    });
    return () => {
      active = false;
    };
  }, [api]);

  const presetName = useMemo(() => matchingPreset(form, presets), [form, presets]);
  const preset = presets.find((candidate) => candidate.name === presetName) ?? null;
  const problems = useMemo(() => httpFormProblems(form), [form]);
  const busy = run.state.status === 'running' || compare.state.status === 'running';

  const onRun = useCallback(() => {
    setShown('run');
    void run.start((jobId) => api.call('http.run', { config: form, jobId, capture }));
  }, [api, form, run, capture]);

  const onCompare = useCallback(() => {
    const configB = preset ? contrastForm(form, preset) : null;
    if (!preset?.contrast || !configB) return;
    setShown('compare');
    setCompareTitles([preset.title.split(':')[0] ?? preset.title, preset.contrast.title]);
    void compare.start((jobId) => api.call('http.compare', { a: { config: form, capture }, b: { config: configB, capture }, jobId }));
  }, [api, compare, form, preset, capture]);

  const result = run.state.result;
  const session = useMemo(() => result?.session ?? sessionFromStream(live, 'http-lab', 'run'), [result, live]);
  const model = useSessionTimeline(session);
  const rows = useMemo(() => requestRows(session.events), [session]);
  const counters = result ? countersFromResult(result) : countersFromStats(live.stats);
  const failure = result ? runFailure(result) : null;
  const progress = run.state.status === 'running' ? countersFromStats(live.stats) : null;

  return (
    <section className="card lab-panel" aria-labelledby="http-lab-title">
      <div className="lab-panel-head">
        <h3 id="http-lab-title">HTTP keep-alive lab</h3>
        <p className="muted">Real requests over loopback: does each one open a TCP connection, or reuse one?</p>
      </div>
      {presetError ? (
        <p className="error-box" role="alert">
          Scenarios unavailable: {presetError}
        </p>
      ) : null}
      <div className="lab-controls">
        <PresetPicker
          presets={presets}
          selected={presetName}
          disabled={busy}
          onPick={(picked) => setForm(formFromPreset(picked.config).form)}
        />
        <div className="lab-buttons">
          <button type="button" className="primary" onClick={onRun} disabled={busy || problems.length > 0}>
            Run
          </button>
          <button type="button" onClick={() => void (run.state.status === 'running' ? run.stop() : compare.stop())} disabled={!busy}>
            Stop
          </button>
          <button
            type="button"
            onClick={onCompare}
            disabled={busy || problems.length > 0 || !preset?.contrast}
            title={preset?.contrast ? `Run this and “${preset.contrast.title}” side by side` : 'Pick a scenario with a contrast to compare'}
          >
            Compare
          </button>
          {preset?.contrast ? <span className="muted compare-with">with “{preset.contrast.title}”</span> : null}
          <CheckField label="Capture packets (tcpdump): shows keep-alive probes" checked={capture} onChange={setCapture} disabled={busy} />
        </div>
      </div>
      <HttpSettingsForm form={form} onChange={setForm} disabled={busy} />
      {problems.length > 0 ? (
        <p className="error-box" role="alert">
          Check the settings: {problems.join('; ')}
        </p>
      ) : null}

      {shown === 'run' ? (
        <div className="lab-results" aria-label="Results of the run">
          <RunStatus state={run.state} progress={progress} durationMs={result?.durationMs ?? null} />
          {run.state.error ? (
            <p className="error-box" role="alert" data-testid="run-error">
              The run could not start: {run.state.error}
            </p>
          ) : null}
          {failure ? (
            <p className="error-box" role="alert" data-testid="run-error">
              {failure}
            </p>
          ) : null}
          <CounterStrip counters={counters} label="Counters of the run" />
          <LabTimeline model={model} label="Connections of the run" />
          <div>
            <h4>Requests</h4>
            <RequestTable rows={rows} caption="Requests of the run" />
          </div>
          <div>
            <h4>What happened</h4>
            {result && !failure ? (
              <RunExplanation result={result} />
            ) : (
              <p className="muted">After the run, a plain-words account of what the connections did appears here.</p>
            )}
            {result?.capture ? <CaptureSummary report={result.capture} /> : null}
            {result ? <ExportHarButton session={result.session} /> : null}
          </div>
        </div>
      ) : (
        <div className="lab-results" aria-label="Comparison">
          <RunStatus state={compare.state} progress={null} durationMs={null} />
          {compare.state.error ? (
            <p className="error-box" role="alert" data-testid="run-error">
              The comparison could not run: {compare.state.error}
            </p>
          ) : null}
          <HttpCompare titles={compareTitles} liveA={liveA} liveB={liveB} result={compare.state.result} />
        </div>
      )}
    </section>
  );
}
