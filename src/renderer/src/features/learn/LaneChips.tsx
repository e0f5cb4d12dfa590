/** A lesson's connections as chips, the ones it is about highlighted (and said so to a screen reader). */

export interface Lane {
  id: string;
  text: string;
}

export function LaneChips({ label, lanes, highlighted }: { label: string; lanes: Lane[]; highlighted: string[] }) {
  const marked = new Set(highlighted);
  return (
    <div className="lane-chips-wrap">
      <h4>{label}</h4>
      <ul className="lane-chips" aria-label={label} data-testid="lesson-lanes">
        {lanes.map((lane) => {
          const on = marked.has(lane.id);
          return (
            <li key={lane.id} className={on ? 'lane-chip is-highlighted' : 'lane-chip'} data-highlighted={on ? 'true' : 'false'}>
              <b>{lane.id}</b> {lane.text}
              {on ? <span className="visually-hidden"> (highlighted)</span> : null}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
