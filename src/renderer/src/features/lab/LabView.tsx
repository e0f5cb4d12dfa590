/**
 * The Lab view: the experiments behind a tab list — the HTTP keep-alive
 * lab, the HTTP/2 lab and the TCP lab. The chosen tab is kept in the address
 * (#lab/http, #lab/http2, #lab/tcp) so a reload or a link opens the same panel.
 */
import { useEffect, useState, type KeyboardEvent } from 'react';
import { Http2LabPanel } from './Http2LabPanel';
import { HttpLabPanel } from './HttpLabPanel';
import { LabRunsProvider } from './lab-runs';
import { TcpLabPanel } from './TcpLabPanel';
import './lab.css';

type LabTab = 'http' | 'http2' | 'tcp';

const TABS: ReadonlyArray<{ name: LabTab; label: string }> = [
  { name: 'http', label: 'HTTP lab' },
  { name: 'http2', label: 'HTTP/2 lab' },
  { name: 'tcp', label: 'TCP lab' },
];

function tabFromHash(): LabTab {
  return TABS.find((entry) => window.location.hash === `#lab/${entry.name}`)?.name ?? 'http';
}

export function LabView() {
  const [tab, setTab] = useState<LabTab>(tabFromHash);

  useEffect(() => {
    const onHash = () => setTab(tabFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const choose = (next: LabTab) => {
    setTab(next);
    window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}#lab/${next}`);
  };

  // Arrow keys move between tabs (the WAI-ARIA tabs pattern); Tab moves on into the panel.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    const here = TABS.findIndex((entry) => entry.name === tab);
    const step = event.key === 'ArrowRight' ? 1 : TABS.length - 1;
    const next = TABS[(here + step) % TABS.length]?.name ?? 'http';
    choose(next);
    document.getElementById(`lab-tab-${next}`)?.focus();
  };

  return (
    <div className="lab-view">
      <div className="lab-tabs" role="tablist" aria-label="Lab" onKeyDown={onKeyDown}>
        {TABS.map((entry) => (
          <button
            key={entry.name}
            id={`lab-tab-${entry.name}`}
            type="button"
            role="tab"
            aria-selected={tab === entry.name}
            aria-controls={`lab-panel-${entry.name}`}
            tabIndex={tab === entry.name ? 0 : -1}
            className="lab-tab"
            onClick={() => choose(entry.name)}
          >
            {entry.label}
          </button>
        ))}
      </div>
      <div id={`lab-panel-${tab}`} role="tabpanel" aria-labelledby={`lab-tab-${tab}`}>
        {/* the HTTP and HTTP/2 labs keep their runs here (kept across tab switches), so Compare lists both */}
        <LabRunsProvider>{tab === 'http' ? <HttpLabPanel /> : tab === 'http2' ? <Http2LabPanel /> : <TcpLabPanel />}</LabRunsProvider>
      </div>
    </div>
  );
}
