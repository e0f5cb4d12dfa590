/**
 * The page's capture client over the real engine service: the timeline's marks of a public capture
 * carry one mark per annotated packet, the kinds the timeline draws coded as marks and the others
 * counted by their first annotation, as the engine's own flags say (which the engine's tests tie to
 * tshark's). The timeline's sentence on annotated packets it does not draw reads these counts.
 */
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeCaptureFile } from '@engine/capture/analyze';
import { analysisFlagNames } from '@engine/capture/tcp-flags';
import { createService } from '@engine/service';
import type { Api } from '@shared/api';
import { primaryFlag } from '@renderer/features/capture/annotation-kinds';
import { createCaptureClient } from '@renderer/features/capture/capture-client';
import { markKindOfFlag } from '@renderer/features/capture/capture-timeline';
import { MARK_KINDS } from '@renderer/features/timeline/timeline-model';

const CAPTURE = resolve(import.meta.dirname, '../../../shared/captures/public/ndpi__1kxun.pcap');
const service = createService({ mode: 'cli' });

afterAll(() => service.dispose());

describe('the capture client’s timeline marks', () => {
  it('code the marked kinds and count the others by kind, as the engine flags them', async () => {
    const api = service as unknown as Api;
    const client = createCaptureClient(api);
    const opened = await client.open(CAPTURE, 'ndpi__1kxun.pcap', 'marks-test');
    if (!opened.ok) throw new Error(opened.error.message);
    const marks = await client.marks(opened.value.captureId);
    if (!marks.ok) throw new Error(marks.error.message);

    const analysis = await analyzeCaptureFile(CAPTURE);
    let annotated = 0;
    let marked = 0;
    const unmarked = new Map<string, number>();
    for (let index = 0; index < analysis.table.length; index++) {
      const flags = analysisFlagNames(analysis.table.analysis[index] ?? 0);
      if (flags.length === 0) continue;
      annotated++;
      if (flags.some((flag) => markKindOfFlag(flag) !== null)) marked++;
      else unmarked.set(primaryFlag(flags)!, (unmarked.get(primaryFlag(flags)!) ?? 0) + 1);
    }
    expect(annotated).toBe(158);
    expect(marks.value.frame.length).toBe(annotated);
    const codes = Array.from(marks.value.kindCode ?? []);
    expect(codes.filter((code) => code < MARK_KINDS.length)).toHaveLength(marked);
    expect(marks.value.unmarked).toEqual(
      [...unmarked].map(([flag, count]) => ({ flag, count })).sort((left, right) => right.count - left.count),
    );
    expect(marks.value.unmarked?.[0]).toEqual({ flag: 'duplicate_ack', count: 64 });
  });
});
