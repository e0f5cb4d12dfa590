import { describe, expect, it } from 'vitest';
import { deriveReport } from '@engine/report/derive-report';
import { renderHtml } from '@engine/report/render-html';
import { parseReportJson, renderJson, ReportInputError } from '@engine/report/render-json';
import { ReportBundleSchema } from '@shared/report-model';
import { drainedSession, FIXED_APP, fixtureBundle } from './fixtures';

describe('renderJson / parseReportJson', () => {
  const bundle = fixtureBundle();
  const text = renderJson(bundle);

  it('round-trips through the schema: the same sessions, captures and trace events', () => {
    const parsed = ReportBundleSchema.parse(JSON.parse(text));
    const { derived, ...rest } = parsed;
    expect(rest).toEqual(bundle);
    expect(parsed.schemaVersion).toBe(1);
    expect(parsed.sessions[0]?.events).toHaveLength(bundle.sessions[0]!.events.length);
    expect(derived).toEqual(deriveReport(bundle));
  });

  it('re-renders the same HTML from the saved JSON as from the bundle', () => {
    expect(renderHtml(parseReportJson(text, FIXED_APP))).toBe(renderHtml(bundle));
  });

  it('recomputes the derived figures rather than trusting them', () => {
    const tampered = JSON.parse(text) as { derived: { sessions: { requests: number }[] } };
    tampered.derived.sessions[0]!.requests = 999;
    const again = JSON.parse(renderJson(parseReportJson(JSON.stringify(tampered), FIXED_APP))) as typeof tampered;
    expect(again.derived.sessions[0]!.requests).toBe(10);
  });

  it('wraps a bare session (a lab run saved with --json) into a bundle', () => {
    const wrapped = parseReportJson(JSON.stringify(drainedSession()), FIXED_APP, new Date('2026-01-01T00:00:00Z'));
    expect(wrapped.sessions).toHaveLength(1);
    expect(wrapped.app).toEqual(FIXED_APP);
    expect(wrapped.createdAt).toBe('2026-01-01T00:00:00.000Z');
  });

  it('says what is wrong with input that is not a report', () => {
    expect(() => parseReportJson('{nope', FIXED_APP)).toThrow(ReportInputError);
    expect(() => parseReportJson('{"schemaVersion":2}', FIXED_APP)).toThrow(
      /not a Keepalive Lab report \(schemaVersion 1\): schemaVersion/,
    );
  });
});
