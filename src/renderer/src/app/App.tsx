import { useEffect, useState, type ReactNode } from 'react';
import { CaptureView } from '../features/capture/CaptureView';
import { InfoPanel } from '../features/info/InfoPanel';
import { LabView } from '../features/lab/LabView';
import { ReportView } from '../features/report/ReportView';
import { ErrorBoundary } from './ErrorBoundary';

export type ViewName = 'lab' | 'captures' | 'reports';

const VIEWS: Array<{ name: ViewName; label: string; render: () => ReactNode }> = [
  { name: 'lab', label: 'Lab', render: () => <LabView /> },
  { name: 'captures', label: 'Captures', render: () => <CaptureView /> },
  { name: 'reports', label: 'Reports', render: () => <ReportView /> },
];

function viewFromHash(): ViewName {
  const name = window.location.hash.replace('#', '');
  return VIEWS.some((view) => view.name === name) ? (name as ViewName) : 'lab';
}

export function App() {
  const [view, setView] = useState<ViewName>(viewFromHash);

  useEffect(() => {
    const onHash = () => setView(viewFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  // The native menu's commands switch the view from main.tsx's MenuCommandsProvider (menu-commands.tsx).

  const current = VIEWS.find((v) => v.name === view) ?? VIEWS[0]!;
  return (
    <div className="app">
      <header className="app-header">
        <h1 className="brand">
          <span aria-hidden="true" className="brand-mark">
            ⟳
          </span>{' '}
          Keepalive Lab
        </h1>
        <nav aria-label="Main">
          {VIEWS.map((v) => (
            <a key={v.name} href={`#${v.name}`} className="nav-link" aria-current={v.name === view ? 'page' : undefined}>
              {v.label}
            </a>
          ))}
        </nav>
      </header>
      <main className="app-main" id="main">
        <ErrorBoundary area={current.label} key={current.name}>
          {current.render()}
        </ErrorBoundary>
      </main>
      <aside className="app-aside" aria-label="Environment">
        <ErrorBoundary area="Info">
          <InfoPanel />
        </ErrorBoundary>
      </aside>
    </div>
  );
}
