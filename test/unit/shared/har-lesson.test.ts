/**
 * The lesson "What did my browser reuse?" tells the truth about its bundled HAR: the figures its
 * explanation fills in, measured with harMetrics on examples/browser-page-load.har, pick its
 * expected choice.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importHarFile } from '../../../src/main/har/import-har';
import { harMetrics } from '../../../src/shared/har-metrics';
import { whatDidMyBrowserReuse as lesson } from '../../../src/shared/lessons/what-did-my-browser-reuse';

describe('lesson: what did my browser reuse?', () => {
  it('its example answers with the expected choice, and every placeholder has a value', async () => {
    const metrics = harMetrics(await importHarFile(path.resolve(__dirname, '../../..', lesson.experiment.file)));
    const holds = (condition: { metric: string; min?: number; max?: number }) => {
      const value = metrics[condition.metric];
      return (
        value !== null &&
        value !== undefined &&
        (condition.min === undefined || value >= condition.min) &&
        (condition.max === undefined || value <= condition.max)
      );
    };
    const observed = lesson.choices.find((choice) =>
      (choice.when as ReadonlyArray<{ metric: string; min?: number; max?: number }>).every(holds),
    );
    expect(observed?.id).toBe(lesson.expected);
    for (const [, name] of lesson.explanation.matchAll(/\{(\w+)\}/g)) expect(metrics[name as string], name).not.toBeNull();
    expect(metrics).toMatchObject({ connections: 6, allBusy: 5, poolWaits: 4, reused: 7, requests: 13, maxConnectionsPerOrigin: 6 });
  });
});
