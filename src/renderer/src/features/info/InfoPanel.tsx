import { useEffect, useState } from 'react';
import type { Info } from '@shared/api';
import { deadPeerFromSeconds, formatDetection } from '@shared/dead-peer';
import { useApi } from '@renderer/api/api-context';

/** What the engine says about itself and the OS keepalive defaults — a real round trip. */
export function InfoPanel() {
  const { api, transport } = useApi();
  const [info, setInfo] = useState<Info | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void api.call('app.getInfo', {}).then((result) => {
      if (!live) return;
      if (result.ok) setInfo(result.value);
      else setError(result.error.message);
    });
    return () => {
      live = false;
    };
  }, [api]);

  if (error)
    return (
      <p role="alert" className="error-box">
        Engine unavailable: {error}
      </p>
    );
  if (!info)
    return (
      <p className="muted" aria-busy="true">
        Asking the engine…
      </p>
    );
  const k = info.keepaliveDefaults;
  const detection =
    k.timeS !== null && k.intervalS !== null && k.probes !== null
      ? deadPeerFromSeconds({ enabled: true, idleS: k.timeS, intervalS: k.intervalS, count: k.probes, userTimeoutMs: null })
      : null;
  return (
    <section aria-labelledby="info-title" className="card info-panel">
      <h2 id="info-title">This machine</h2>
      <dl className="facts">
        <dt>App</dt>
        <dd data-testid="info-version">
          {info.appName} {info.appVersion} ({transport === 'electron' ? 'desktop' : 'web mode'})
        </dd>
        <dt>Platform</dt>
        <dd data-testid="info-platform">
          {info.platform}/{info.arch}, Node {info.nodeVersion}
          {info.electronVersion ? `, Electron ${info.electronVersion}` : ''}
        </dd>
        <dt>Kernel keepalive defaults</dt>
        <dd data-testid="info-keepalive">
          {k.timeS === null ? (
            <span>{k.source}</span>
          ) : (
            <>
              first probe after <b>{formatSeconds(k.timeS)}</b> idle (again after each answer), then every{' '}
              <b>{formatSeconds(k.intervalS)}</b> while unanswered, give up after <b>{k.probes ?? 'an unknown number of'}</b> unanswered
              probes
            </>
          )}
        </dd>
      </dl>
      {detection ? (
        <p className="muted" data-testid="info-dead-peer">
          With these defaults a peer that vanished silently is noticed after {formatDetection(detection.ms)} ({detection.formula}) — if the
          program turned keepalive on at all. Node turns it on only when asked (<code>socket.setKeepAlive(true, ms)</code>), and then libuv
          sets the interval to 1 s and the count to 10.
        </p>
      ) : null}
    </section>
  );
}

export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return 'an unknown time';
  if (seconds >= 3600 && seconds % 60 === 0) return `${seconds / 3600} h`;
  if (seconds >= 120) return `${Math.round(seconds / 60)} min`;
  return `${seconds} s`;
}
