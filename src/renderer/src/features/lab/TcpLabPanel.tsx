/**
 * The TCP lab: pick an experiment (echo server, multiplexing client, pool, proxy,
 * keepalive), set it up, Run / Stop, and watch live figures, the connections on
 * the timeline and — while a keepalive experiment or a server runs — the
 * kernel's timers for the lab's own sockets, refreshed once a second.
 */
import { useMemo, useState } from 'react';
import type { ApiResult } from '@shared/api';
import type { RunCapture } from '@shared/api-correlate';
import type { Session } from '@shared/trace';
import { useApi } from '@renderer/api/api-context';
import { useJobEvents } from '@renderer/api/use-engine-events';
import { RunCapturePanel } from './RunCapturePanel';
import { ExperimentPicker } from './ExperimentPicker';
import { CheckField } from './form-fields';
import { KernelTimersTable } from './KernelTimersTable';
import { LabTimeline, useSessionTimeline } from './LabTimeline';
import { sessionFromStream } from './live-session';
import { RunStatus } from './RunStatus';
import { DeadPeerNote } from './DeadPeerNote';
import { defaultTcpForm, formDeadPeer, isServerExperiment, runCall, startCall, tcpFormProblems, type TcpForm } from './tcp-form-model';
import { echoStatsText, proxyStatsText, sessionPorts, statEntries, summaryLines } from './tcp-summary';
import { TcpSettingsForm } from './TcpSettingsForm';
import { useLabJob } from './use-lab-job';
import { useHalfOpenCheck } from './use-half-open-check';
import { useKernelTimers } from './use-kernel-timers';

type RunResult = { session: Session; summary: Record<string, unknown>; capture?: RunCapture };
interface Listener {
  kind: 'echo' | 'proxy';
  id: string;
  address: string;
  upstream: string | null;
}

function listenerPort(address: string): number {
  return Number(address.slice(address.lastIndexOf(':') + 1));
}

export function TcpLabPanel() {
  const { api } = useApi();
  const [form, setForm] = useState<TcpForm>(defaultTcpForm);
  const [listener, setListener] = useState<Listener | null>(null);
  const [listenerNote, setListenerNote] = useState<{ text: string; failed: boolean } | null>(null);
  /** live capture (tcpdump) of the keepalive experiment's own port */
  const [capture, setCapture] = useState(false);
  const job = useLabJob<RunResult>('tcp');
  const running = job.state.status === 'running';
  const live = useJobEvents(running ? job.state.jobId : null);
  const timers = useKernelTimers((running && form.experiment === 'keepalive') || listener !== null);
  const problems = tcpFormProblems(form);
  const busy = running || listener !== null;
  const server = isServerExperiment(form.experiment);
  const halfOpen = useHalfOpenCheck(form.experiment === 'half-open');
  /** the half-open experiment needs root and `ip netns`: until the engine says it can, Run stays off */
  const halfOpenBlocked = form.experiment === 'half-open' && !(halfOpen.status === 'ready' && halfOpen.available);
  const deadPeer = formDeadPeer(form);
  const captures = form.experiment === 'keepalive' || form.experiment === 'half-open';

  const result = job.state.result;
  const session = useMemo(() => result?.session ?? sessionFromStream(live, 'tcp-lab', 'tcp'), [result, live]);
  const model = useSessionTimeline(session);
  const stats = statEntries(live.stats);
  const ports = useMemo(() => sessionPorts(session.connections, listener ? [listenerPort(listener.address)] : []), [session, listener]);

  const onRun = async () => {
    setListenerNote(null);
    const start = startCall(form);
    if (start) {
      const started =
        start.method === 'tcp.startEcho' ? await api.call('tcp.startEcho', start.params) : await api.call('tcp.startProxy', start.params);
      if (!started.ok) return setListenerNote({ text: started.error.message, failed: true });
      const value = started.value;
      setListener({
        kind: start.method === 'tcp.startEcho' ? 'echo' : 'proxy',
        id: value.id,
        address: `${value.host}:${value.port}`,
        upstream: 'upstream' in value ? String(value.upstream) : null,
      });
      return;
    }
    void job.start(async (jobId): Promise<ApiResult<RunResult>> => {
      const call = runCall(form, jobId);
      if (!call) return { ok: false, error: { code: 'no-run', message: `${form.experiment} is not a run` } };
      if (call.method === 'tcp.runMux') return api.call('tcp.runMux', call.params);
      if (call.method === 'tcp.runPool') return api.call('tcp.runPool', call.params);
      if (call.method === 'tcp.runHalfOpen') return api.call('tcp.runHalfOpen', capture ? { ...call.params, capture: true } : call.params);
      return api.call('tcp.runKeepalive', capture ? { ...call.params, capture: true } : call.params);
    });
  };

  const onStop = async () => {
    if (!listener) return void job.stop();
    const stopped =
      listener.kind === 'echo' ? await api.call('tcp.stopEcho', { id: listener.id }) : await api.call('tcp.stopProxy', { id: listener.id });
    setListener(null);
    if (!stopped.ok) return setListenerNote({ text: stopped.error.message, failed: true });
    const stats = stopped.value.stats;
    const statsText =
      stats === null ? '' : listener.kind === 'echo' ? ` ${echoStatsText(stats)}` : ` It forwarded ${proxyStatsText(stats)}`;
    setListenerNote({
      text: `Stopped the ${listener.kind === 'echo' ? 'echo server' : 'proxy'} on ${listener.address}.${statsText}`,
      failed: false,
    });
  };

  return (
    <section className="card lab-panel" aria-labelledby="tcp-lab-title">
      <div className="lab-panel-head">
        <h3 id="tcp-lab-title">TCP lab</h3>
        <p className="muted">Real sockets on loopback: one connection or many, pools, a proxy, and the kernel’s keepalive timer.</p>
      </div>
      <div className="lab-controls">
        <ExperimentPicker value={form.experiment} disabled={busy} onChange={(experiment) => setForm({ ...form, experiment })} />
        <div className="lab-buttons">
          <button
            type="button"
            className="primary"
            onClick={() => void onRun()}
            disabled={busy || problems.length > 0 || halfOpenBlocked}
            aria-describedby={halfOpenBlocked ? 'half-open-unavailable' : undefined}
          >
            Run
          </button>
          <button type="button" onClick={() => void onStop()} disabled={!busy}>
            Stop
          </button>
        </div>
      </div>
      <TcpSettingsForm form={form} onChange={setForm} disabled={busy} />
      {deadPeer ? <DeadPeerNote detection={deadPeer} subject="With these settings" /> : null}
      {form.experiment === 'half-open' && halfOpenBlocked ? (
        <p className="error-box" id="half-open-unavailable" data-testid="half-open-unavailable">
          {halfOpen.status === 'checking' ? (
            'Checking whether this machine can cut a peer off (network namespaces)…'
          ) : (
            <>
              This experiment cannot run here: {halfOpen.reason}. <b>Fix:</b> {halfOpen.fix}.
            </>
          )}
        </p>
      ) : null}
      {captures ? (
        <CheckField
          label="Capture packets (tcpdump): shows the probes on the wire"
          checked={capture}
          onChange={setCapture}
          disabled={busy}
        />
      ) : null}
      {problems.length > 0 ? (
        <p className="error-box" role="alert">
          Check the settings: {problems.join('; ')}
        </p>
      ) : null}

      <div className="lab-results" aria-label="Results of the experiment">
        {server ? (
          <div className="listener-box" role="status" data-testid="tcp-listener">
            {listener ? (
              <>
                <p>
                  <b>
                    {listener.kind === 'echo' ? 'Echo server' : 'Proxy'} listening on {listener.address}
                  </b>
                  {listener.upstream ? ` → upstream ${listener.upstream}` : ''}
                </p>
                <p className="muted">
                  Try it from a terminal: <code>nc {listener.address.replace(':', ' ')}</code> and type{' '}
                  <code>{'{"uid":"1","val":"you"}'}</code>. Its connection appears in the kernel timers below.
                </p>
              </>
            ) : (
              <p className={listenerNote?.failed ? 'error-text' : 'muted'}>
                {listenerNote?.text ?? 'Not running. Press Run to start it; Stop closes it.'}
              </p>
            )}
          </div>
        ) : (
          <>
            <RunStatus
              state={job.state}
              progress={null}
              durationMs={typeof result?.summary['durationMs'] === 'number' ? result.summary['durationMs'] : null}
              stoppedText="Stopped: the figures cover what happened before Stop."
            />
            {job.state.error ? (
              <p className="error-box" role="alert" data-testid="run-error">
                The experiment failed: {job.state.error}
              </p>
            ) : null}
          </>
        )}
        <div className={server || form.experiment === 'half-open' ? undefined : 'tcp-layout'}>
          {server ? null : (
            <div>
              <h4>{result ? 'Summary' : 'Live figures'}</h4>
              <dl className="stats-list" data-testid="tcp-stats">
                {(result ? summaryLines(result.summary) : stats).map((line) => (
                  <div key={line.label} className="stats-row">
                    <dt>{line.label}</dt>
                    <dd>{line.value}</dd>
                  </div>
                ))}
                {!result && stats.length === 0 ? (
                  <dd className="muted">Figures arrive about once a second while an experiment runs.</dd>
                ) : null}
              </dl>
            </div>
          )}
          {/* the vanished-peer sockets live in their own network namespaces, out of this table's sight */}
          {form.experiment === 'half-open' ? null : (
            <KernelTimersTable timers={timers} ports={ports} active={(running && form.experiment === 'keepalive') || listener !== null} />
          )}
        </div>
        {server ? null : <LabTimeline model={model} label="Connections of the experiment" height={180} />}
        {result?.capture ? <RunCapturePanel capture={result.capture} /> : null}
      </div>
    </section>
  );
}
