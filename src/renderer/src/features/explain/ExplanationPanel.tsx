/**
 * One explanation of `src/shared/explain.ts`, as a learner reads it: what you see,
 * why the tool concluded it (with the values it compared), what to try next.
 * The same texts feed the reports; this only lays them out.
 */
import { renderExplanation, type ExplainKind, type ExplainValues } from '@shared/explain';
import './explain.css';

export interface ExplanationPanelProps {
  kind: ExplainKind;
  /** the values the rule compared, filling `{name}` placeholders */
  values?: ExplainValues;
  /** the engine's own sentence for this verdict (rule and values), shown under the template */
  engineReason?: string;
  /** a heading level that fits where the panel sits */
  headingLevel?: 3 | 4;
  /** colour of the left rule, a theme variable name like `--probe` */
  accentVar?: string;
  /** whose packets: 'capture' (default: the panel explains a capture's packets) picks the "try next" that fits any capture */
  setting?: 'lab' | 'capture';
}

export function ExplanationPanel({
  kind,
  values,
  engineReason,
  headingLevel = 3,
  accentVar = '--accent',
  setting = 'capture',
}: ExplanationPanelProps) {
  const rendered = renderExplanation(kind, values ?? {}, { setting });
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  const titleId = `explain-${kind}`;
  return (
    <section
      className="explanation"
      aria-labelledby={titleId}
      data-testid="explanation"
      data-kind={kind}
      style={{ ['--explain-accent' as string]: `var(${accentVar})` }}
    >
      <Heading id={titleId} className="explanation-title">
        {rendered.title}
      </Heading>
      <dl className="explanation-parts">
        <dt>What you see</dt>
        <dd>{rendered.whatYouSee}</dd>
        <dt>Why the tool concluded it</dt>
        <dd>
          {rendered.whyConcluded}
          {engineReason ? (
            <span className="explanation-rule">
              <span className="explanation-rule-label">Rule applied:</span> <code>{engineReason}</code>
            </span>
          ) : null}
        </dd>
        <dt>Try next</dt>
        <dd>{rendered.tryNext}</dd>
      </dl>
    </section>
  );
}

export interface NearMissPanelProps {
  /** e.g. "Not a keep-alive probe" */
  title: string;
  /** the rule that failed, in plain words, with the values */
  failedRule: string;
}

/** For a packet that looks like a probe: the rule that decided against it (Wireshark does not say). */
export function NearMissPanel({ title, failedRule }: NearMissPanelProps) {
  return (
    <section className="explanation explanation-near-miss" aria-label={title} data-testid="near-miss">
      <h3 className="explanation-title">{title}</h3>
      <p>{failedRule}</p>
    </section>
  );
}
