/**
 * The HTTP lab: pick a scenario (or set every option of `http.run`), Run / Stop,
 * and watch connections open or get reused live — counters, timeline, the
 * per-request table — then read what happened and who closes an idle connection
 * first. Every finished run is kept for the page: Compare puts two of them side
 * by side (a scenario and its contrast, or this run and the one before).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { HttpPreset, HttpRunConfig, HttpRunResult } from '@shared/api-http';
import { useApi } from '@renderer/api/api-context';
import { useJobEvents } from '@renderer/api/use-engine-events';
import { CheckField } from './form-fields';
import { HttpCompare } from './HttpCompare';
import { contrastForm, defaultHttpForm, formFromPreset, httpFormProblems, matchingPreset } from './http-form-model';
import { HttpRunView } from './HttpRunView';
import { HttpSettingsForm } from './HttpSettingsForm';
import { ResultsSwitch, useLabRuns } from './lab-runs';
import { PresetPicker } from './PresetPicker';
import { RunStatus } from './RunStatus';
import { useLabJob } from './use-lab-job';

type CompareResult = { a: HttpRunResult; b: HttpRunResult };
const compareIds = (jobId: string) => [`${jobId}-a`, `${jobId}-b`];

/** "Drained body" from "Drained body: one connection for all requests". */
const shortTitle = (preset: HttpPreset | null): string | null => (preset ? (preset.title.split(':')[0] ?? preset.title) : null);

export function HttpLabPanel() {
  const { api } = useApi();
  const [presets, setPresets] = useState<HttpPreset[]>([]);
  const [presetError, setPresetError] = useState<string | null>(null);
  const [form, setForm] = useState<HttpRunConfig>(defaultHttpForm);
  const [shown, setShown] = useState<'run' | 'compare'>('run');
  const [capture, setCapture] = useState(false);
  // the page's runs, HTTP/2 ones included (lab-runs.tsx)
  const { runs, pair, setPair, keep } = useLabRuns();
  const [compareTitles, setCompareTitles] = useState<[string, string]>(['A', 'B']);
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

  /** Runs the form; every finished run joins the page's list, and Compare shows it beside the run before it (lab-runs.tsx). */
  const startRun = useCallback(
    async (asComparison: boolean) => {
      setShown(asComparison ? 'compare' : 'run');
      // a run from a scenario keeps the scenario's name in the session and the report
      const title = preset?.title;
      const result = await run.start((jobId) => api.call('http.run', { config: form, jobId, capture, ...(title ? { title } : {}) }));
      if (!result) return;
      keep({ run: { protocol: 'http1', result }, scenario: shortTitle(preset) });
    },
    [api, form, run, capture, preset, keep],
  );

  const onCompare = useCallback(async () => {
    const configB = preset ? contrastForm(form, preset) : null;
    if (!preset?.contrast || !configB) return startRun(true);
    const titles: [string, string] = [shortTitle(preset) ?? 'A', preset.contrast.title];
    setCompareTitles(titles);
    setShown('compare');
    const result = await compare.start((jobId) =>
      api.call('http.compare', {
        a: { config: form, capture, title: preset.title },
        b: { config: configB, capture, title: preset.contrast?.title ?? titles[1] },
        jobId,
      }),
    );
    if (!result) return;
    keep(
      { run: { protocol: 'http1', result: result.a }, scenario: titles[0] },
      { run: { protocol: 'http1', result: result.b }, scenario: titles[1] },
    );
  }, [api, compare, form, preset, capture, startRun, keep]);

  const lastRun = runs.at(-1);
  const compareHelp = preset?.contrast
    ? `Run this and “${preset.contrast.title}” side by side`
    : lastRun
      ? `Run these settings and put them beside ${lastRun.title}`
      : 'Run once first: Compare then runs these settings beside that run';
  const canCompare = Boolean(preset?.contrast) || lastRun !== undefined;

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
          <button type="button" className="primary" onClick={() => void startRun(false)} disabled={busy || problems.length > 0}>
            Run
          </button>
          <button type="button" onClick={() => void (run.state.status === 'running' ? run.stop() : compare.stop())} disabled={!busy}>
            Stop
          </button>
          <button type="button" onClick={() => void onCompare()} disabled={busy || problems.length > 0 || !canCompare} title={compareHelp}>
            Compare
          </button>
          <span className="muted compare-with">
            {preset?.contrast ? `with “${preset.contrast.title}”` : lastRun ? `with ${lastRun.title}` : 'after a first run'}
          </span>
          <CheckField label="Capture packets (tcpdump): shows keep-alive probes" checked={capture} onChange={setCapture} disabled={busy} />
        </div>
      </div>
      <HttpSettingsForm form={form} onChange={setForm} disabled={busy} />
      {problems.length > 0 ? (
        <p className="error-box" role="alert" data-testid="form-problems">
          Check the settings: {problems.join('; ')}
        </p>
      ) : null}

      <ResultsSwitch shown={shown} runs={runs.length} onShown={setShown} />
      {shown === 'run' ? (
        <HttpRunView state={run.state} live={live} />
      ) : (
        <div className="lab-results" aria-label="Comparison">
          <RunStatus state={compare.state.status === 'idle' ? run.state : compare.state} progress={null} durationMs={null} />
          {compare.state.error ? (
            <p className="error-box" role="alert" data-testid="run-error">
              The comparison could not run: {compare.state.error}
            </p>
          ) : null}
          <HttpCompare
            runs={runs}
            pair={pair}
            onPair={setPair}
            live={compare.state.status === 'running' ? { titles: compareTitles, a: liveA, b: liveB } : null}
          />
        </div>
      )}
    </section>
  );
}
