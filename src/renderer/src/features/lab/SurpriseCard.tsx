/**
 * The headline when a run opened more connections than its settings need:
 * which connections were extra, why each was dialled, and how to avoid it.
 */
import type { ConnectionSurprise } from '@shared/api-http';
import { CAUSE_WORDS } from '@shared/connection-cause';

export function SurpriseCard({ surprise, testId = 'surprise' }: { surprise: ConnectionSurprise; testId?: string }) {
  const causes = [...new Set(surprise.extra.map((item) => item.openedBecause.cause))];
  return (
    <div className="surprise-card" role="status" data-testid={testId}>
      <p className="surprise-title">
        <b>More connections than needed:</b> {surprise.headline}.
      </p>
      <ul>
        {surprise.extra.map((item) => (
          <li key={item.connection}>
            <code>{item.connection}</code> <span className="pill pill-cause">{CAUSE_WORDS[item.openedBecause.cause].label}</span> —{' '}
            {item.openedBecause.detail}.
          </li>
        ))}
      </ul>
      {causes.map((cause) => {
        const avoid = CAUSE_WORDS[cause].avoid;
        return avoid ? (
          <p key={cause} className="surprise-avoid">
            <b>{CAUSE_WORDS[cause].label}:</b> {CAUSE_WORDS[cause].meaning} {avoid}
          </p>
        ) : null;
      })}
    </div>
  );
}
