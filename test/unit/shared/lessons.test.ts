/**
 * The lessons are data: every one parses, names a real example, asks the called method for valid
 * params, and uses only value names its kind of experiment measures (a typo would read "unknown").
 */
import { describe, expect, it } from 'vitest';
import { methods } from '@shared/api';
import { findExample } from '@shared/example-captures';
import { findExampleHar } from '@shared/example-hars';
import { fillExplanation, formatMetric, LessonSchema, observedChoice, type Lesson } from '@shared/lesson';
import { LESSONS } from '@shared/lessons';
import { LESSON_METRIC_NAMES } from '@engine/learn/lesson-metrics';
import { HTTP2_PRESETS } from '@engine/lab/http2-scenarios';

function metricsUsed(lesson: Lesson): string[] {
  const inText = [...lesson.explanation.matchAll(/\{([\w.]+)\}/g)].map((match) => match[1]!);
  return [
    ...lesson.choices.flatMap((choice) => choice.when.map((condition) => condition.metric)),
    ...lesson.figures.map((f) => f.metric),
    ...inText,
  ];
}

describe('lessons', () => {
  it('has at least ten, with unique ids, each a valid lesson', () => {
    expect(LESSONS.length).toBeGreaterThanOrEqual(10);
    expect(new Set(LESSONS.map((lesson) => lesson.id)).size).toBe(LESSONS.length);
    for (const lesson of LESSONS) expect(LessonSchema.safeParse(lesson).success, lesson.id).toBe(true);
  });

  it.each(LESSONS.map((lesson) => [lesson.id, lesson] as const))('%s uses only measured values and valid params', (_, lesson) => {
    const known = new Set<string>(LESSON_METRIC_NAMES[lesson.experiment.kind]);
    expect(metricsUsed(lesson).filter((name) => !known.has(name))).toEqual([]);
    const sentences = lesson.explanation.split(/(?<=[.!?])\s+(?=[A-Z])/).length;
    expect(sentences, 'explanation: 3 to 6 sentences').toBeGreaterThanOrEqual(3);
    expect(sentences, 'explanation: 3 to 6 sentences').toBeLessThanOrEqual(6);
    const experiment = lesson.experiment;
    switch (experiment.kind) {
      case 'http-compare':
        expect(
          methods['http.compare'].params.safeParse({ a: { config: experiment.a.config }, b: { config: experiment.b.config } }).success,
        ).toBe(true);
        break;
      case 'tcp-keepalive':
        expect(methods['tcp.runKeepalive'].params.safeParse(experiment.params).error).toBeUndefined();
        break;
      case 'half-open':
        expect(methods['tcp.runHalfOpen'].params.safeParse(experiment.params).error).toBeUndefined();
        break;
      case 'example':
        expect(findExample(experiment.exampleId)).toBeDefined();
        break;
      case 'har-example':
        expect(findExampleHar(experiment.exampleId)).toBeDefined();
        break;
      case 'http2':
        expect(methods['http2.run'].params.safeParse({ config: experiment.h2.config, preset: experiment.h2.preset }).error).toBeUndefined();
        expect(HTTP2_PRESETS.some((preset) => preset.name === experiment.h2.preset) || experiment.h2.preset === undefined).toBe(true);
        if (experiment.h1) expect(methods['http.run'].params.safeParse({ config: experiment.h1.config }).error).toBeUndefined();
        break;
    }
  });

  it('a lesson with a typo in a metric, a missing expected choice or an unknown field is refused', () => {
    const base = LESSONS[0]!;
    expect(LessonSchema.safeParse({ ...base, expected: 'nope' }).success).toBe(false);
    expect(LessonSchema.safeParse({ ...base, extra: 1 }).success).toBe(false);
    expect(LessonSchema.safeParse({ ...base, choices: [base.choices[0]] }).success).toBe(false);
  });
});

describe('reading a run into a choice', () => {
  const lesson = LESSONS.find((candidate) => candidate.id === 'body-drain')!;

  it('picks the first choice whose conditions hold, or none when a value is missing', () => {
    expect(observedChoice(lesson, { 'b.connectionsOpened': 10 })).toBe('ten');
    expect(observedChoice(lesson, { 'b.connectionsOpened': 1 })).toBe('one');
    expect(observedChoice(lesson, { 'b.connectionsOpened': 4 })).toBe('a-few');
    expect(observedChoice(lesson, { 'b.connectionsOpened': null })).toBeNull();
    expect(observedChoice(lesson, {})).toBeNull();
  });

  it('fills the explanation with the measured values, and says "unknown" for one not measured', () => {
    expect(
      fillExplanation('{a.connectionsOpened} vs {b.connectionsOpened} ({b.maxQueuedMs} ms)', {
        'a.connectionsOpened': 1,
        'b.connectionsOpened': 10,
        'b.maxQueuedMs': null,
      }),
    ).toBe('1 vs 10 (unknown ms)');
    expect(formatMetric(4006)).toBe('4,006');
    expect(formatMetric(1.23)).toBe('1.2');
  });
});
