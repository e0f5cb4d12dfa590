import { useEffect, useState, type ReactNode } from 'react';
import { CaptureView } from '../features/capture/CaptureView';
import { InfoPanel } from '../features/info/InfoPanel';
import { LabView } from '../features/lab/LabView';
import { LearnView } from '../features/learn/LearnView';
import { ReportView } from '../features/report/ReportView';
import { ErrorBoundary } from './ErrorBoundary';

export type ViewName = 'learn' | 'lab' | 'captures' | 'reports';

const VIEWS: Array<{ name: ViewName; label: string; render: () => ReactNode }> = [
  { name: 'learn', label: 'Learn', render: () => <LearnView /> },
  { name: 'lab', label: 'Lab', render: () => <LabView /> },
  { name: 'captures', label: 'Captures', render: () => <CaptureView /> },
  { name: 'reports', label: 'Reports', render: () => <ReportView /> },
];

/** The view named by the address's first part (`#lab/tcp` → lab); the Learn view when none is named (the first screen). */
function viewFromHash(): ViewName {
  const name = window.location.hash.replace('#', '').split('/')[0];
  return VIEWS.some((view) => view.name === name) ? (name as ViewName) : 'learn';
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
