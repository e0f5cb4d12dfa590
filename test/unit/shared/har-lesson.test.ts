/**
 * The lesson "What did my browser reuse?" tells the truth about its bundled HAR: the figures its
 * explanation fills in, measured with harMetrics on examples/browser-page-load.har (found by id, as
 * the engine finds it), pick its expected choice.
 */
import { describe, expect, it } from 'vitest';
import { exampleHarFile } from '@engine/examples/example-files';
import { importHarFile } from '@engine/har/import-har';
import { harMetrics } from '@shared/har-metrics';
import { LessonSchema, observedChoice } from '@shared/lesson';
import { whatDidMyBrowserReuse } from '@shared/lessons/what-did-my-browser-reuse';

describe('lesson: what did my browser reuse?', () => {
  it('its example answers with the expected choice, and every placeholder has a value', async () => {
    const lesson = LessonSchema.parse(whatDidMyBrowserReuse);
    if (lesson.experiment.kind !== 'har-example') throw new Error('expected a HAR lesson');
    const metrics = harMetrics(await importHarFile(exampleHarFile(lesson.experiment.exampleId)));
    expect(observedChoice(lesson, metrics)).toBe(lesson.expected);
    for (const [, name] of lesson.explanation.matchAll(/\{(\w+)\}/g)) expect(metrics[name as string], name).not.toBeNull();
    expect(metrics).toMatchObject({ connections: 6, allBusy: 5, poolWaits: 4, reused: 7, requests: 13, maxConnectionsPerOrigin: 6 });
  });

  it('an unknown example id is refused, not turned into a path', () => {
    expect(() => exampleHarFile('../../etc/passwd')).toThrow(/no example HAR/);
  });
});
