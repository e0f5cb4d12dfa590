/**
 * The Lab page's finished runs, HTTP/1.1 and HTTP/2 alike, kept above the tabs so that switching
 * from the HTTP lab to the HTTP/2 lab loses none: Compare puts any two of them side by side.
 */
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ComparedRun } from '@shared/compare-runs';
import { plural } from '@shared/counting';
import { keepRun, type RunRecord } from './compare-model';

interface LabRuns {
  runs: readonly RunRecord[];
  /** the run numbers shown as A and B; null: the last two */
  pair: [number, number] | null;
  setPair(pair: [number, number] | null): void;
  /** Adds finished runs in order (each with its scenario's title, or null for custom settings); Compare then shows the last two. */
  keep(...added: Array<{ run: ComparedRun; scenario: string | null }>): void;
}

const LabRunsContext = createContext<LabRuns | null>(null);

export function LabRunsProvider({ children }: { children: ReactNode }) {
  const [runs, setRuns] = useState<readonly RunRecord[]>([]);
  const [pair, setPair] = useState<[number, number] | null>(null);
  // the runs as of now, so two runs kept before React renders are numbered one after the other
  const current = useRef<readonly RunRecord[]>([]);
  const keep = useCallback((...added: Array<{ run: ComparedRun; scenario: string | null }>) => {
    const next = added.reduce<readonly RunRecord[]>((list, { run, scenario }) => keepRun(list, run, scenario), current.current);
    current.current = next;
    setRuns(next);
    // a new run shows beside the one before it, until a pair is picked again
    setPair(null);
  }, []);
  const value = useMemo(() => ({ runs, pair, setPair, keep }), [runs, pair, keep]);
  return <LabRunsContext.Provider value={value}>{children}</LabRunsContext.Provider>;
}

/** The page's runs (LabView provides them). */
export function useLabRuns(): LabRuns {
  const shared = useContext(LabRunsContext);
  if (!shared) throw new Error('useLabRuns: the panel must sit inside LabRunsProvider (LabView)');
  return shared;
}

/** The lab's choice between the last run and the comparison of two runs (`runs`: runs kept so far). */
export function ResultsSwitch({
  shown,
  runs,
  onShown,
}: {
  shown: 'run' | 'compare';
  runs: number;
  onShown: (shown: 'run' | 'compare') => void;
}) {
  return (
    <div className="results-switch" role="group" aria-label="Results shown">
      <button type="button" aria-pressed={shown === 'run'} onClick={() => onShown('run')}>
        Last run
      </button>
      <button type="button" aria-pressed={shown === 'compare'} onClick={() => onShown('compare')}>
        Compare two runs{runs > 0 ? ` (${plural(runs, 'run')} so far)` : ''}
      </button>
    </div>
  );
}
